#include "zielwerk/storage/audit_verify.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

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

struct LatestState {
  std::int64_t seq = 0;
  StateDigest digest;
};

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
    std::vector<PayloadObject> objects;
    std::string chain_input;
    while (records.executeStep()) {
      const std::int64_t seq = records.getColumn(0).getInt64();
      const std::string recorded_at = records.getColumn(1).getString();
      const std::string actor = records.getColumn(2).getString();
      const std::string operation = records.getColumn(3).getString();
      const std::string rule_set_version = records.getColumn(4).getString();
      const SQLite::Column payload_column = records.getColumn(5);
      const std::string_view payload(static_cast<const char*>(payload_column.getText()),
                                     static_cast<std::size_t>(payload_column.getBytes()));
      const std::string stored_previous = records.getColumn(6).getString();
      const std::string stored_hash = records.getColumn(7).getString();
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

      // The object index rows of this record, in the payload's order.
      objects.clear();
      while (index_row && index.getColumn(0).getInt64() < seq) {
        orphan_index_row(index.getColumn(0).getInt64());
        index_row = index.executeStep();
      }
      while (index_row && index.getColumn(0).getInt64() == seq) {
        PayloadObject object{index.getColumn(1).getString(), index.getColumn(2).getString(),
                             std::nullopt};
        if (!index.getColumn(3).isNull() || !index.getColumn(4).isNull()) {
          object.state = StateDigest{index.getColumn(3).getInt64(), index.getColumn(4).getString()};
        }
        objects.push_back(std::move(object));
        index_row = index.executeStep();
      }
      const std::string head = payload_head(actor);
      const std::string tail = payload_tail(objects, operation, recorded_at, rule_set_version, seq);
      const bool framed =
          payload.size() > head.size() + tail.size() && payload.starts_with(head) &&
          payload.ends_with(tail) &&
          plausible_middle(payload.substr(head.size(), payload.size() - head.size() - tail.size()));
      if (!framed) {
        problem(seq, "record " + std::to_string(seq) +
                         ": its columns or object index differ from its payload (time, actor, "
                         "operation, rule-set version or objects were altered)");
      }
      for (auto& object : objects) {
        if (!object.state) continue;
        latest_[{object.kind, object.id}] = {seq, std::move(*object.state)};
      }
      if (against_ && against_->seq == seq) {
        against_seen = true;
        if (against_->hash != stored_hash) {
          problem(seq, "record " + std::to_string(seq) + ": its hash " + short_hash(stored_hash) +
                           "… differs from the checkpoint's " + short_hash(against_->hash) +
                           "… (the trail was rewritten since the checkpoint)");
        }
      }
      previous_hash = stored_hash;
      expected_seq = seq + 1;
      result_.head = {seq, stored_hash};
    }
    if (result_.records == 0) result_.head = {0, std::string(kGenesisHash)};
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

  void compare(const std::string& kind, const std::string& id, const StateDigest& now) {
    const auto found = latest_.find({kind, id});
    if (found == latest_.end()) {
      if (now.rows > 0) {
        problem(0, kind + " " + id +
                       " is in the database, but no audit record covers it "
                       "(it was written outside zielwerk)");
      }
      return;
    }
    const auto& [seq, recorded] = found->second;
    checked_.insert(found->first);
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
    problem(seq, "record " + std::to_string(seq) + ": " + kind + " " + id + " " + what +
                     " after this record (its last audited change)");
  }

  void check_state() {
    for (const auto& [id, digest] : digest_all_imports(db_))
      compare("import", id, digest);
    StateDigester digester(db_);
    for_each_stored_object(db_, [&](std::string_view kind, const std::string& id) {
      compare(std::string(kind), id, digester.digest(kind, id));
    });
    // Objects a record vouches for that the tables no longer hold at all.
    for (const auto& [key, latest] : latest_) {
      if (checked_.contains(key)) continue;
      compare(key.first, key.second, digester.digest(key.first, key.second));
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
  std::map<std::pair<std::string, std::string>, LatestState> latest_;
  std::set<std::pair<std::string, std::string>> checked_;
  std::int64_t last_orphan_ = -1;
};

}  // namespace

AuditVerification verify_audit_trail(Database& database,
                                     const std::optional<AuditCheckpoint>& against) {
  return Verifier(database, against).run();
}

}  // namespace zielwerk::storage
