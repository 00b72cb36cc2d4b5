// Inside the engine: what every change passes before it writes.
//
// 1. The actor must be allowed (permissions.h). A refusal changes nothing but
//    is itself recorded: an `access.denied` record naming the actor, the
//    attempted operation, what it was about and why, in its own transaction.
//    The caller gets a usage error ("permission denied: ...", exit 2).
// 2. The rules the change is made under are noted: when the project's
//    rule-set version is not the one noted last, a `rules.change` record (by
//    this actor, now) stores the new version with its files and goal
//    definitions and lists the goals that changed, with before and after.
//
// Step 1 runs before the caller's write transaction, because a refusal must be
// recorded although nothing else is; step 2 runs inside it, so a change that
// fails (invalid input) notes nothing either. Noting is idempotent: another
// process noting the same rules first leaves nothing to do.
#pragma once

#include <string>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/permissions.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

// `targets`: what the attempt was about (goal, review, measure, ...), so an
// audit query for that object also finds refused attempts.
Status authorize(const Project& project, storage::Database& database, const std::string& actor,
                 Timestamp now, Action action, const Subject& subject,
                 std::vector<storage::AuditObject> targets = {});

// Inside Database::write, first thing of a change.
void note_rule_set(const Project& project, storage::Database& database, const std::string& actor,
                   Timestamp now);

}  // namespace zielwerk::engine
