// The `handbook` commands for the write side, run on the server's machine against its
// database: accounts (user), a policy's versions (history, diff), who has read a
// must-read version (acks) and the audit log.
// Each returns the exit code: 0 done, 1 failed (with a message), -1 wrong arguments.
#pragma once
#include "cli_args.h"

namespace handbook {

int cmd_user(const Args& args);
int cmd_history(const Args& args);
int cmd_diff(const Args& args);
int cmd_audit(const Args& args);
int cmd_acks(const Args& args);

// Where a command-line change comes from, for the audit log: "command line (unix user X)".
std::string command_line_client();

}  // namespace handbook
