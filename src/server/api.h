// The write side's JSON API on `handbook serve`: sign-in, drafts and their review,
// versions, diffs, the audit log, accounts and settings. Every route is one row of a
// table (api_routes): method, path, who may call it, the largest body it takes. The
// authorisation-matrix test reads the same table, so a route without a rule cannot pass.
//
//   POST   /api/session                      sign in {user, password}: an HttpOnly cookie
//   DELETE /api/session                      sign out
//   GET    /api/me                           who is signed in, and what they may do
//   GET    /api/articles/<slug>/versions     every published version (newest first)
//   GET    /api/articles/<slug>/versions/<n> one version, whole
//   GET    /api/articles/<slug>/diff?from=&to=   what changed between two versions
//   POST   /api/articles/<slug>/archive      ask to withdraw it {summary} (goes to review)
//   POST   /api/articles/<slug>/revert       ask to bring back version {version, summary}
//   GET    /api/drafts[?state=]              my drafts, and those waiting for my review
//   POST   /api/drafts                       a new draft {slug, ..., base_version, client_id}
//   GET    /api/drafts/<id>                  a draft, the live version and the diff between them
//   PUT    /api/drafts/<id>                  save edits {revision, slug, title, ...}
//   DELETE /api/drafts/<id>                  discard it
//   POST   /api/drafts/<id>/submit           for review {summary, must_acknowledge}
//   POST   /api/drafts/<id>/return           back to its author {comment}
//   POST   /api/drafts/<id>/publish          {effective, must_acknowledge}: 409 with both on a conflict
//   POST   /api/articles/<slug>/confirm-review   still correct: next review {review_by}
//   POST   /api/acknowledgements             I have read it {id, slug, version, acknowledged_at}
//   GET    /api/acknowledgements             mine, and what I still have to read
//   GET    /api/reports/acknowledgements[?slug=&version=&format=csv]   who has read it
//   GET    /api/reports/reviews-due          policies past their review date (my categories)
//   POST   /api/search-misses                a search that found nothing {id, query, kind, searched_at}
//   GET    /api/reports/search-misses[?since=&limit=]   the most frequent ones
//   GET    /api/audit[?since=&user=&limit=]  the audit log (approvers, admins)
//   GET    /api/users, POST /api/users, PATCH /api/users/<name>   accounts (admins)
//   GET    /api/settings, PUT /api/settings  {self_approval} (admins)
//
// Every request that writes needs a signed-in session, the role the route names (the
// workflow rules decide the rest), and the header X-Handbook-Request: 1, which a
// cross-site form cannot send (with an Origin, if any, of this server). Bodies are JSON
// (Content-Type application/json), at most the route's size and nested 8 deep. Errors are
// JSON {"error", "code", "field"?}; 401 means "sign in", 403 "not allowed", 409 "changed
// meanwhile", 429 "wait" (with Retry-After).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <httplib.h>

#include "sign_in_throttle.h"
#include "store_pool.h"

namespace handbook {

enum class Access { anyone, signed_in, editor, approver, admin };
const char* access_name(Access access);

struct ApiServices {
    StorePool* store = nullptr;
    SignInThrottle throttle;
    bool secure_cookies = false;                     // add Secure (behind TLS)
    std::function<int64_t()> clock;                  // seconds since 1970 (tests set it); default: the system's
};

struct ApiRequest;
using ApiHandler = void (*)(ApiServices&, ApiRequest&, httplib::Response&);

struct ApiRoute {
    const char* method;
    const char* pattern;  // an httplib (std::regex) path pattern
    Access access;
    size_t max_body;      // bytes
    ApiHandler handler;
};

const std::vector<ApiRoute>& api_routes();

// The route a request goes to; nullptr when none (`*other_methods` then lists the
// methods the path does take, if any, for a 405's Allow header).
const ApiRoute* find_api_route(const std::string& method, const std::string& path, std::string* other_methods);

// The largest body any route takes (httplib's own limit, behind the per-route check).
size_t largest_api_body();

void install_api(httplib::Server& server, ApiServices& services);

}  // namespace handbook
