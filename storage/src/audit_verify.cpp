#include "zielwerk/storage/audit_verify.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include "audit_payload.h"
#include "audit_state.h"
#include "connection.h"
#include "zielwerk/common/sha256.h"

namespace zielwerk::storage {
namespace {

constexpr std::string_view kAppendOnlyTriggers[] = {
    "audit_record_is_append_only_replace", "audit_record_is_append_only_update",
    "audit_record_is_append_only_delete",  "audit_object_is_append_only_replace",
    "audit_object_is_append_only_update",  "audit_object_is_append_only_delete",
};

bool is_hex_digest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string short_hash(std::string_view hash) {
  return std::string(hash.substr(0, 12));
}

// What the payload holds between the actor and the objects must be
// `{...},"file_hash":"<empty or 64 hex digits>"`.
bool plausible_middle(std::string_view middle) {
  constexpr std::string_view kKey = R"(,"file_hash":")";
  if (middle.size() < 2 + kKey.size() + 1 || middle.back() != '"') return false;
  const auto key = middle.rfind(kKey);
  if (key == std::string_view::npos || key == 0) return false;
  const auto hash = middle.substr(key + kKey.size(), middle.size() - key - kKey.size() - 1);
  return middle.front() == '{' && middle[key - 1] == '}' && (hash.empty() || is_hex_digest(hash));
}

// The last record naming an object of a state kind, and what it recorded.
struct LatestState {
  std::int64_t seq = 0;
  StateDigest digest;
  bool compared = false;
};

std::string_view text_of(const SQLite::Column& column) {
  return {column.getText(), static_cast<std::size_t>(column.getBytes())};
}

class Verifier {
 public:
  Verifier(Database& database, const std::optional<AuditCheckpoint>& against)
      : db_(sqlite(database)), against_(against) {}

  AuditVerification run() {
    check_records();
    check_state();
    check_triggers();
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
    SQLite::Statement records(db_,
                              "SELECT seq, recorded_at, actor, operation, rule_set_version, "
                              "payload, previous_hash, hash FROM audit_record ORDER BY seq");
    SQLite::Statement index(db_,
                            "SELECT seq, kind, object_id, rows, sha256 FROM audit_object "
                            "ORDER BY seq, kind, object_id");
    bool index_row = index.executeStep();
    std::int64_t expected_seq = 1;
    std::string previous_hash(kGenesisHash);
    bool against_seen = against_ && against_->seq == 0;
    if (against_seen && against_->hash != kGenesisHash) {
      problem(0, "the checkpoint names record 0 with a hash other than the trail's start");
    }
    std::string chain_input;
    std::string head;
    std::string tail;
    StateDigest state;
    while (records.executeStep()) {
      const std::int64_t seq = records.getColumn(0).getInt64();
      const std::string_view payload = text_of(records.getColumn(5));
      const std::string_view stored_previous = text_of(records.getColumn(6));
      const std::string_view stored_hash = text_of(records.getColumn(7));
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
      chain_input.assign(stored_previous).append("\n").append(payload);
      if (sha256_hex(chain_input) != stored_hash) {
        problem(seq, "record " + std::to_string(seq) +
                         ": its hash does not match its content (the record was altered)");
      }

      // What the columns and the index say the payload is, rendered as the
      // writer renders it; the index rows also give the state recorded.
      head.clear();
      append_payload_head(head, text_of(records.getColumn(2)));
      tail.clear();
      append_payload_objects_start(tail);
      while (index_row && index.getColumn(0).getInt64() < seq) {
        orphan_index_row(index.getColumn(0).getInt64());
        index_row = index.executeStep();
      }
      bool first = true;
      while (index_row && index.getColumn(0).getInt64() == seq) {
        const std::string_view kind = text_of(index.getColumn(1));
        const std::string_view id = text_of(index.getColumn(2));
        const bool has_state = !index.getColumn(3).isNull() || !index.getColumn(4).isNull();
        if (has_state) {
          state.rows = index.getColumn(3).getInt64();
          state.sha256.assign(text_of(index.getColumn(4)));
          remember(kind, id, seq, state);
        }
        append_payload_object(tail, first, kind, id, has_state ? &state : nullptr);
        first = false;
        index_row = index.executeStep();
      }
      append_payload_end(tail, text_of(records.getColumn(3)), text_of(records.getColumn(1)),
                         text_of(records.getColumn(4)), seq);
      const bool framed =
          payload.size() > head.size() + tail.size() && payload.starts_with(head) &&
          payload.ends_with(tail) &&
          plausible_middle(payload.substr(head.size(), payload.size() - head.size() - tail.size()));
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
      previous_hash.assign(stored_hash);
      expected_seq = seq + 1;
      result_.head.seq = seq;
    }
    result_.head.hash = previous_hash;
    while (index_row) {
      orphan_index_row(index.getColumn(0).getInt64());
      index_row = index.executeStep();
    }
    if (against_ && !against_seen) {
      problem(0, "the checkpoint names record " + std::to_string(against_->seq) +
                     ", but the trail ends at record " + std::to_string(result_.head.seq) +
                     " (records were removed since the checkpoint)");
    }
  }

  void remember(std::string_view kind, std::string_view id, std::int64_t seq,
                const StateDigest& state) {
    if (kind != last_kind_name_) {
      last_kind_name_.assign(kind);
      last_kind_ = &latest_[last_kind_name_];
    }
    auto [it, added] = last_kind_->try_emplace(std::string(id));
    it->second.seq = seq;
    it->second.digest.rows = state.rows;
    it->second.digest.sha256 = state.sha256;
  }

  void compare(std::string_view kind, const std::string& id, const StateDigest& now) {
    const auto of_kind = latest_.find(std::string(kind));
    LatestState* latest = nullptr;
    if (of_kind != latest_.end()) {
      const auto found = of_kind->second.find(id);
      if (found != of_kind->second.end()) latest = &found->second;
    }
    if (latest == nullptr) {
      if (now.rows > 0) {
        problem(0, std::string(kind) + " " + id +
                       " is in the database, but no audit record covers it "
                       "(it was written outside zielwerk)");
      }
      return;
    }
    latest->compared = true;
    const auto& recorded = latest->digest;
    if (now.rows == recorded.rows && now.sha256 == recorded.sha256) return;
    std::string what;
    if (now.rows == 0) {
      what = "was deleted";
    } else if (now.rows != recorded.rows) {
      what = "has " + std::to_string(now.rows) + " rows where the record says " +
             std::to_string(recorded.rows);
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
      for (auto& [id, latest] : objects) {
        if (!latest.compared) compare(kind, id, nothing);
      }
    }
  }

  void check_triggers() {
    SQLite::Statement exists(db_,
                             "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
    for (const auto name : kAppendOnlyTriggers) {
      exists.reset();
      exists.bind(1, std::string(name));
      if (!exists.executeStep()) {
        problem(0, "the trigger " + std::string(name) +
                       " that keeps the trail append-only is missing (it was dropped)");
      }
    }
  }

  SQLite::Database& db_;
  std::optional<AuditCheckpoint> against_;
  AuditVerification result_;
  // kind -> object id -> the last record naming it.
  std::map<std::string, std::unordered_map<std::string, LatestState>, std::less<>> latest_;
  std::string last_kind_name_;
  std::unordered_map<std::string, LatestState>* last_kind_ = nullptr;
  std::int64_t last_orphan_ = -1;
};

}  // namespace

AuditVerification verify_audit_trail(Database& database,
                                     const std::optional<AuditCheckpoint>& against) {
  return Verifier(database, against).run();
}

}  // namespace zielwerk::storage
