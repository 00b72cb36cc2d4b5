// Parses a rendered message with Python's email package (parse_mail.py
// beside this file), an independent MIME implementation.
#pragma once

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace zielwerk::notify {

// The message as Python's email package parses it (tests/notify/parse_mail.py).
inline nlohmann::json parse_with_python(const std::string& message) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("zielwerk-mime-" + std::to_string(::getpid()) + ".eml");
  testing::write_file(file, message);
  const std::string command = "python3 " +
                              (testing::source_dir() / "tests/notify/parse_mail.py").string() +
                              " " + file.string();
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), &::pclose);
  std::string output;
  std::array<char, 4096> buffer{};
  while (pipe && std::fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) {
    output += buffer.data();
  }
  pipe.reset();
  std::filesystem::remove(file);
  return nlohmann::json::parse(output);
}

}  // namespace zielwerk::notify
