// The audit log: who did what, when, from where, and how it ended. Append-only: the
// table's triggers refuse UPDATE and DELETE (authority_schema.cpp). A change and its
// audit row are written in one transaction, so neither is ever there without the other.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/database.h"

namespace handbook {

struct AuditEntry {
    int64_t id = 0;
    std::string at;       // UTC, ISO 8601 (filled in when written)
    std::string user;     // the account name as given
    std::string action;   // sign_in, sign_in_failed, sign_out, user_add, submit, return, publish, archive, revert, import, ...
    std::string target;   // what it was done to ("refund-windows", "draft 12", "user ana")
    std::string outcome;  // ok | refused | failed
    std::string client;   // an address, or "command line"
    std::string detail;
};

Status audit(Database& db, const AuditEntry& entry);

struct AuditFilter {
    std::string since;  // YYYY-MM-DD or a full time; "" = from the start
    std::string user;   // "" = anyone
    int limit = 1000;
};
// Newest first.
Result<std::vector<AuditEntry>> read_audit(Database& db, const AuditFilter& filter);

}  // namespace handbook
