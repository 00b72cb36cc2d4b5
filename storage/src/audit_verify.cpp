#include "zielwerk/storage/audit_verify.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <string_view>
#include <unordered_map>

#include "audit_payload.h"
#include "audit_state.h"
#include "audit_tree_store.h"
#include "connection.h"
#include "postgres/pg_schema_check.h"
#include "schema_check.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/storage/audit_line.h"

namespace zielwerk::storage {
namespace {

bool is_hex_digest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string short_hash(std::string_view hash) {
  return std::string(hash.substr(0, 12));
}

// Where the JSON object starting at text[0] ends (one past its closing
// brace), skipping strings; npos when it does not end inside `text`.
std::size_t end_of_object(std::string_view text) {
  if (text.empty() || text.front() != '{') return std::string_view::npos;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// What the payload holds between the actor and the objects must be exactly
// one JSON object (the details) and `,"file_hash":"<empty or 64 hex digits>"`:
// a second "actor" key smuggled in after the details would make the payload
// say something other than the columns. Consumes them from `rest`.
bool skip_details_and_file_hash(std::string_view& rest) {
  constexpr std::string_view kKey = R"(,"file_hash":")";
  const std::size_t details_end = end_of_object(rest);
  if (details_end == std::string_view::npos) return false;
  rest.remove_prefix(details_end);
  if (!rest.starts_with(kKey)) return false;
  rest.remove_prefix(kKey.size());
  if (rest.starts_with('"')) {
    rest.remove_prefix(1);
    return true;
  }
  if (rest.size() < 65 || !is_hex_digest(rest.substr(0, 64)) || rest[64] != '"') return false;
  rest.remove_prefix(65);
  return true;
}

// The last record naming an object of a state kind, and what it recorded.
struct LatestState {
  std::int64_t seq = 0;  // 0: no record named it
  std::int64_t rows = 0;
  std::array<char, 64> sha256{};
  bool compared = false;

  bool matches(const StateDigest& digest) const {
    return rows == digest.rows && std::string_view(sha256.data(), sha256.size()) == digest.sha256;
  }
};

// The latest states of one kind. Numbered objects (measures, follow-ups,
// minutes, ...) are counted up from 1, so a vector indexed by number holds a
// million of them without hashing; names and stray numbers go to a map.
class LatestStates {
 public:
  explicit LatestStates(bool numbered) : numbered_(numbered) {}

  LatestState& slot(std::string_view id) {
    if (const auto number = small_number(id)) {
      // Grown in steps, not one id at a time: ids arrive counting up.
      if (*number >= by_number_.size()) {
        by_number_.resize(std::max<std::size_t>(*number + 1, by_number_.size() * 2));
      }
      return by_number_[*number];
    }
    return by_name_[std::string(id)];
  }

  LatestState* find(std::string_view id) {
    if (const auto number = small_number(id)) {
      return *number < by_number_.size() && by_number_[*number].seq != 0 ? &by_number_[*number]
                                                                         : nullptr;
    }
    const auto found = by_name_.find(std::string(id));
    return found == by_name_.end() ? nullptr : &found->second;
  }

  template <typename Visit>
  void for_each(Visit visit) {
    for (std::size_t number = 0; number < by_number_.size(); ++number) {
      if (by_number_[number].seq != 0) visit(std::to_string(number), by_number_[number]);
    }
    for (auto& [name, state] : by_name_)
      visit(name, state);
  }

 private:
  // A number that may index the vector: growing it by at most a bounded step,
  // so a tampered id of 10^12 cannot make it huge.
  std::optional<std::size_t> small_number(std::string_view id) const {
    if (!numbered_ || id.empty() || (id.size() > 1 && id.front() == '0')) return std::nullopt;
    std::size_t number = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
    if (error != std::errc() || end != id.data() + id.size()) return std::nullopt;
    if (number > 2 * by_number_.size() + 65536) return std::nullopt;
    return number;
  }

  bool numbered_;
  std::vector<LatestState> by_number_;
  std::unordered_map<std::string, LatestState> by_name_;
};

class Verifier {
 public:
  Verifier(Database& database, const std::optional<AuditCheckpoint>& against,
           const std::optional<TreeCheckpoint>& against_tree)
      : db_(database), against_(against), against_tree_(against_tree) {}

  AuditVerification run() {
    // The trail and the tables are read once, front to back: mapping the file
    // saves copying every page through read() (SQLite caps the size).
    if (is_postgres(db_)) {
      // One snapshot for all of it, as below; a server's is repeatable read.
      pg::Connection& server = postgres(db_);
      const bool own = !server.in_transaction();
      if (own) server.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        check_records();
        check_tree();
        check_state();
        check_schema();
      } catch (...) {
        if (own) server.rollback();
        throw;
      }
      if (own) server.exec("COMMIT");
    } else {
      SQLite::Database& db = sqlite(db_);
      db.exec("PRAGMA mmap_size = 2147418112");
      // One snapshot for all of it: a change committed by another process
      // meanwhile would otherwise look like rows without a record.
      // (The caller may hold one already: Database::snapshot.)
      std::optional<SQLite::Transaction> snapshot;
      if (sqlite3_get_autocommit(db.getHandle()) != 0) {
        snapshot.emplace(db, SQLite::TransactionBehavior::DEFERRED);
      }
      check_records();
      check_tree();
      check_state();
      check_schema();
      if (snapshot) snapshot->commit();
    }
    std::stable_sort(result_.problems.begin(), result_.problems.end(),
                     [](const AuditProblem& a, const AuditProblem& b) {
                       if ((a.seq == 0) != (b.seq == 0)) return a.seq != 0;
                       return a.seq < b.seq;
                     });
    return std::move(result_);
  }

 private:
  void problem(std::int64_t seq, std::string message) {
    result_.problems.push_back({seq, std::move(message)});
  }

  // Index rows of a record that does not exist, reported once per record.
  void orphan_index_row(std::int64_t seq) {
    if (seq == last_orphan_) return;
    last_orphan_ = seq;
    problem(seq, "record " + std::to_string(seq) +
                     ": the object index names a record that does not exist");
  }

  // One pass over the trail and, alongside, its object index (both in seq
  // order). Buffers are reused: this loop runs once per record.
  void check_records() {
    RowCursor records(db_,
                      "SELECT seq, recorded_at, actor, operation, rule_set_version, payload, "
                      "previous_hash, hash FROM audit_record ORDER BY seq");
    RowCursor index(db_,
                    "SELECT seq, kind, object_id, rows, sha256 FROM audit_object "
                    "ORDER BY seq, kind, object_id");
    bool index_row = index.step();
    std::int64_t expected_seq = 1;
    std::string previous_hash(kGenesisHash);
    bool against_seen = against_ && against_->seq == 0;
    if (against_seen && against_->hash != kGenesisHash) {
      problem(0, "the checkpoint names record 0 with a hash other than the trail's start");
    }
    Sha256 chain;  // sha256(previous_hash + "\n" + payload), without copying the payload
    std::string previous_time;  // stored times sort as text in time order
    std::string line;           // the record's bytes, its Merkle leaf (audit_line.h)
    std::array<char, 64> computed{};
    StateDigest state;
    while (records.step()) {
      const std::int64_t seq = records.integer(0);
      const std::string_view payload = records.text(5);
      const std::string_view stored_previous = records.text(6);
      const std::string_view stored_hash = records.text(7);
      ++result_.records;

      if (seq != expected_seq) {
        problem(seq, seq > expected_seq
                         ? "record " + std::to_string(seq) + ": " +
                               (seq - expected_seq == 1
                                    ? "record " + std::to_string(expected_seq) + " is missing"
                                    : "records " + std::to_string(expected_seq) + " to " +
                                          std::to_string(seq - 1) + " are missing")
                         : "record " + std::to_string(seq) + " is out of order");
      }
      if (stored_previous != previous_hash) {
        problem(seq, "record " + std::to_string(seq) +
                         ": its previous hash is not the hash of the record before it "
                         "(a record was inserted, deleted or reordered)");
      }
      const std::string_view recorded_at = records.text(1);
      if (recorded_at < previous_time) {
        problem(seq, "record " + std::to_string(seq) + ": its time " + std::string(recorded_at) +
                         " is before the time of the record before it, " + previous_time +
                         " (the trail's times never go back: a record was altered or the "
                         "database written around zielwerk)");
      }
      previous_time.assign(recorded_at);
      chain.reset();
      chain.update(stored_previous);
      chain.update("\n");
      chain.update(payload);
      chain.hex_digest(computed.data());
      if (std::string_view(computed.data(), computed.size()) != stored_hash) {
        problem(seq, "record " + std::to_string(seq) +
                         ": its hash does not match its content (the record was altered)");
      }

      // What the columns and the index say the payload is, compared piece by
      // piece with what the writer renders; the index rows also give the
      // state recorded.
      std::string_view rest = payload;
      bool framed = match_payload_head(rest, records.text(2)) && skip_details_and_file_hash(rest) &&
                    match_payload_objects_start(rest);
      while (index_row && index.integer(0) < seq) {
        orphan_index_row(index.integer(0));
        index_row = index.step();
      }
      bool first = true;
      while (index_row && index.integer(0) == seq) {
        const std::string_view kind = index.text(1);
        const std::string_view id = index.text(2);
        const bool has_state = !index.is_null(3) || !index.is_null(4);
        if (has_state) {
          state.rows = index.integer(3);
          state.sha256.assign(index.text(4));
          remember(kind, id, seq, state);
        }
        framed =
            framed && match_payload_object(rest, first, kind, id, has_state ? &state : nullptr);
        first = false;
        index_row = index.step();
      }
      framed = framed &&
               match_payload_end(rest, records.text(3), records.text(1), records.text(4), seq) &&
               rest.empty();
      if (!framed) {
        problem(seq, "record " + std::to_string(seq) +
                         ": its columns or object index differ from its payload (time, actor, "
                         "operation, rule-set version or objects were altered)");
      }
      if (against_ && against_->seq == seq) {
        against_seen = true;
        if (against_->hash != stored_hash) {
          problem(seq, "record " + std::to_string(seq) + ": its hash " + short_hash(stored_hash) +
                           "… differs from the checkpoint's " + short_hash(against_->hash) +
                           "… (the trail was rewritten since the checkpoint)");
        }
      }
      line.clear();
      append_audit_line(line, seq, stored_previous, stored_hash, payload);
      tree_.add(proofs::leaf_hash(line));
      if (against_tree_ && tree_.size() == against_tree_->size) check_tree_checkpoint();
      previous_hash.assign(stored_hash);
      expected_seq = seq + 1;
      result_.head.seq = seq;
    }
    result_.head.hash = previous_hash;
    while (index_row) {
      orphan_index_row(index.integer(0));
      index_row = index.step();
    }
    if (against_ && !against_seen) {
      problem(0, "the checkpoint names record " + std::to_string(against_->seq) +
                     ", but the trail ends at record " + std::to_string(result_.head.seq) +
                     " (records were removed since the checkpoint)");
    }
  }

  // The root of the first records equals the signed checkpoint's: what was
  // signed is still the start of the trail.
  void check_tree_checkpoint() {
    if (tree_.root() != against_tree_->root) {
      problem(0, "the Merkle root of the first " + std::to_string(against_tree_->size) +
                     " records differs from the signed checkpoint's (the trail was rewritten "
                     "since the checkpoint was signed)");
    }
  }

  // The tree stored with the trail is the one its records give, hash for
  // hash, so the proofs zielwerk prints from it hold.
  void check_tree() {
    result_.root = tree_.root();
    // A record found altered already explains a tree that differs.
    const bool records_intact = result_.problems.empty();
    if (against_tree_ && against_tree_->size > tree_.size()) {
      problem(0, "the signed checkpoint covers " + std::to_string(against_tree_->size) +
                     " records, but the trail has " + std::to_string(tree_.size()) +
                     " (records were cut off since the checkpoint)");
    }
    if (against_tree_ && against_tree_->size == 0 &&
        against_tree_->root != proofs::empty_tree_hash()) {
      problem(0,
              "the signed checkpoint of an empty trail names a root other than the empty tree's");
    }
    const auto stored = stored_audit_tree_root(db_, tree_.size());
    if (!records_intact) return;
    if (!stored || stored.value() != result_.root ||
        stored_audit_tree_hashes(db_) != proofs::stored_hash_count(tree_.size())) {
      problem(0,
              "the stored Merkle tree (table audit_tree) is not the tree of the records: "
              "proofs printed from it would not hold (the table was altered)");
    }
  }

  LatestStates& states_of(std::string_view kind) {
    auto found = latest_.find(kind);
    if (found == latest_.end()) {
      found = latest_.emplace(std::string(kind), LatestStates(has_numbered_ids(kind))).first;
    }
    return found->second;
  }

  void remember(std::string_view kind, std::string_view id, std::int64_t seq,
                const StateDigest& state) {
    if (kind != last_kind_name_) {
      last_kind_name_.assign(kind);
      last_kind_ = &states_of(kind);
    }
    LatestState& latest = last_kind_->slot(id);
    latest.seq = seq;
    latest.rows = state.rows;
    latest.sha256.fill('?');  // a digest that is no 64 hex digits never matches
    std::copy_n(state.sha256.data(), std::min(state.sha256.size(), latest.sha256.size()),
                latest.sha256.data());
    if (state.sha256.size() != latest.sha256.size()) latest.rows = -1;
  }

  void compare(std::string_view kind, const std::string& id, const StateDigest& now) {
    // Objects come kind after kind: look the kind up only when it changes.
    if (kind != compared_kind_name_) {
      compared_kind_name_.assign(kind);
      compared_kind_ = &states_of(kind);
    }
    LatestState* latest = compared_kind_->find(id);
    if (latest == nullptr) {
      if (now.rows > 0) {
        problem(0, std::string(kind) + " " + id +
                       " is in the database, but no audit record covers it "
                       "(it was written outside zielwerk)");
      }
      return;
    }
    latest->compared = true;
    if (latest->matches(now)) return;
    std::string what;
    if (now.rows == 0) {
      what = "was deleted";
    } else if (now.rows != latest->rows && latest->rows >= 0) {
      what = "has " + std::to_string(now.rows) + " rows where the record says " +
             std::to_string(latest->rows);
    } else {
      what = "was changed";
    }
    problem(latest->seq, "record " + std::to_string(latest->seq) + ": " + std::string(kind) + " " +
                             id + " " + what + " after this record (its last audited change)");
  }

  // Each table is read once, in one pass, and every object compared with the
  // last record that named it; what no row answered for was deleted.
  void check_state() {
    for (const auto& [id, digest] : digest_all_imports(db_))
      compare("import", id, digest);
    for_each_stored_object(db_, [&](std::string_view kind, const std::string& id,
                                    const StateDigest& digest) { compare(kind, id, digest); });
    const StateDigest nothing = RowDigest().finish();
    for (auto& [kind, objects] : latest_) {
      objects.for_each([&, &kind = kind](const std::string& id, LatestState& latest) {
        if (!latest.compared) compare(kind, id, nothing);
      });
    }
  }

  // Tables, columns, indexes, triggers and views as the migrations create
  // them: a trigger planted on a table (or zielwerk's own one weakened to
  // `WHEN 0`) changes what zielwerk writes without breaking the chain.
  void check_schema() {
    for (auto& finding :
         is_postgres(db_) ? pg::check_schema(postgres(db_)) : storage::check_schema(sqlite(db_)))
      problem(0, std::move(finding.message));
  }

  Database& db_;
  std::optional<AuditCheckpoint> against_;
  std::optional<TreeCheckpoint> against_tree_;
  proofs::TreeBuilder tree_;
  AuditVerification result_;
  // kind -> object id -> the last record naming it.
  std::map<std::string, LatestStates, std::less<>> latest_;
  std::string last_kind_name_;
  LatestStates* last_kind_ = nullptr;
  std::string compared_kind_name_;
  LatestStates* compared_kind_ = nullptr;
  std::int64_t last_orphan_ = -1;
};

}  // namespace

AuditVerification verify_audit_trail(Database& database,
                                     const std::optional<AuditCheckpoint>& against,
                                     const std::optional<TreeCheckpoint>& against_tree) {
  return Verifier(database, against, against_tree).run();
}

}  // namespace zielwerk::storage
