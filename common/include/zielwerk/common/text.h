// Small text helpers shared by the loaders and the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zielwerk {

// Levenshtein distance (insert, delete, substitute cost 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a likely typo
// (distance at most a third of the word's length, at least 1, at most 3).
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" — appended to "unknown ..." messages.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// `text` without the spaces and tabs around it: how labels and header names
// in files people edit are compared.
std::string_view trim_blanks(std::string_view text);

// Joins with a separator: join({"a","b"}, ", ") == "a, b".
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Whether `address` is an e-mail addr-spec zielwerk sends to: one '@', a
// non-empty local part and a domain with a dot (or "localhost"), printable
// ASCII without spaces, quotes, brackets, commas, colons, semicolons or angle
// brackets, so it cannot break out of a header or an SMTP command.
bool is_mail_address(std::string_view address);

}  // namespace zielwerk
