// The server's own tables, beside the replica it publishes (src/core/schema.h): accounts,
// sessions, drafts and their review, the audit log, settings. No device ever holds
// them: the change feed and the snapshot carry the replica only.
//
//   users       name, role, categories, argon2id password hash, disabled
//   sessions    a hash of each session token (never the token), idle and absolute expiry
//   drafts      a change being written or reviewed, apart from the live version: the
//               version it started from, its state (workflow.h), summary, review comment
//   audit_log   append-only (triggers refuse UPDATE and DELETE): every sign-in, failed
//               sign-in, user change, submission, return, publish, archive, revert, import
//   settings    self_approval (0/1)
//
// A system account "import" (disabled: it cannot sign in) authors what `handbook import`
// brings in as drafts, and the drafts earlier builds kept as versions (legacy_drafts).
#pragma once
#include <memory>
#include <string>

#include "core/schema.h"

namespace handbook {

inline constexpr const char* kImportAccount = "import";

Status migrate_authority(Database& db);

// The server's store: open_store (checked, WAL) and the authority tables brought up to date.
Result<std::unique_ptr<Database>> open_server_store(const std::string& path, StoreOptions options = {});

}  // namespace handbook
