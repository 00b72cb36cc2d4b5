// The vocabulary of zielwerk's audit trail: the operations the engine records
// and the kinds of objects records name, so queries can be checked for typos
// and docs/audit.md and --help list the same words.
#pragma once

#include <string>
#include <vector>

namespace zielwerk::engine {

struct AuditTerm {
  std::string name;
  std::string meaning;
};

// Every operation a record can have, e.g. "measure.add", with what it means.
const std::vector<AuditTerm>& audit_operations();
// Every kind of object a record can name, e.g. "goal", "measure".
const std::vector<AuditTerm>& audit_object_kinds();

}  // namespace zielwerk::engine
