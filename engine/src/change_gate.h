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
// 3. The configuration is noted the same way: a version of zielwerk.yaml
//    other than the one noted last (actors, their parties and roles, the
//    calendar) becomes a `project.change` record, of the workflow files a
//    `workflow.change` record, each with what changed.
// 4. Time moves forward: a change whose time is more than five minutes before
//    the last audit record's is refused (the clock or --now is wrong); less is
//    a race for the write lock, and the record carries its predecessor's time
//    (storage::append_audit_record). The trail's times never go back.
//
// Step 1 runs before the caller's write transaction, because a refusal must be
// recorded although nothing else is; steps 2 to 4 run inside it
// (begin_change), so a change that fails (invalid input) notes nothing either.
// Noting is idempotent: another process noting the same rules first leaves
// nothing to do.
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

// Inside Database::write, first thing of a change: steps 2 to 4 above. A time
// before the last record is a usage error naming both.
Status begin_change(const Project& project, storage::Database& database, const std::string& actor,
                    Timestamp now);

}  // namespace zielwerk::engine
