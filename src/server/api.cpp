// See api.h for the routes and the rules every request follows.
#include "api.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <ctime>
#include <iostream>
#include <regex>

#include "accounts.h"
#include "audit_log.h"
#include "core/article_store.h"
#include "core/text_diff.h"
#include "drafts.h"
#include "read_receipts.h"
#include "sessions.h"

namespace handbook {

using nlohmann::json;
using httplib::Request;
using httplib::Response;

// What a handler gets: the request, who sent it (if signed in), from where, when, and
// its JSON body (already parsed within the limits).
struct ApiRequest {
    const Request& http;
    std::optional<User> user;
    std::string client;
    int64_t now = 0;
    json body;

    Acting acting() const { return Acting{*user, client}; }
};

namespace {

constexpr size_t kSmallBody = 16 * 1024;
constexpr size_t kArticleBody = kMaxBodyBytes + 64 * 1024;  // an article and its fields, as JSON
constexpr int kMaxJsonDepth = 8;

// --- Answers ------------------------------------------------------------------------

int http_status(StatusCode code) {
    switch (code) {
    case StatusCode::ok: return 200;
    case StatusCode::invalid: return 400;
    case StatusCode::unauthenticated: return 401;
    case StatusCode::forbidden: return 403;
    case StatusCode::not_found: return 404;
    case StatusCode::conflict: return 409;
    case StatusCode::too_many: return 429;
    case StatusCode::busy: return 503;
    case StatusCode::full: return 507;
    default: return 500;
    }
}

void send_json(Response& res, int status, const json& body) {
    res.status = status;
    // Nothing personal is kept by a cache, a proxy or the service worker.
    res.set_header("Cache-Control", "no-store");
    res.set_header("Vary", "Cookie");
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

// The fields a message can be about: "title: ..." becomes {"field": "title", "error": "..."}.
const char* kFields[] = {"slug", "title", "category", "tags", "owner", "effective", "review_by", "body", "summary",
                         "comment", "user", "name", "password", "role", "categories", "revision", "version", "base_version",
                         "client_id", "state", "from", "to", "must_acknowledge", "acknowledge_by", "acknowledged_at", "id", "query", "kind",
                         "searched_at", "store", "self_approval", "disabled", "since", "limit"};

void send_error(Response& res, const Status& st) {
    json body = {{"error", st.error}, {"code", status_code_name(st.code)}};
    for (const char* field : kFields) {
        const std::string prefix = std::string(field) + ": ";
        if (st.error.rfind(prefix, 0) == 0) {
            body["field"] = field;
            body["error"] = st.error.substr(prefix.size());
            break;
        }
    }
    int status = http_status(st.code);
    if (status >= 500) std::cerr << "handbook serve: API failed (" << status_code_name(st.code) << "): " << st.error << "\n";
    if (st.code == StatusCode::busy) res.set_header("Retry-After", "5");
    send_json(res, status, body);
}

// --- Request bodies -------------------------------------------------------------------

// Nested deeper than `limit` (objects and arrays), outside strings? A parser would
// recurse that deep before any check of ours could run.
bool nested_deeper_than(std::string_view text, int limit) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit) return true;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return false;
}

Result<json> parse_body(const Request& req) {
    const std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0)
        return Status::fail(StatusCode::invalid, "send the request body as JSON (Content-Type: application/json)");
    if (nested_deeper_than(req.body, kMaxJsonDepth))
        return Status::fail(StatusCode::invalid, "the JSON is nested more than " + std::to_string(kMaxJsonDepth) + " deep");
    json doc = json::parse(req.body, nullptr, false);  // refuses invalid UTF-8 too
    if (doc.is_discarded()) return Status::fail(StatusCode::invalid, "the request body is not valid JSON (or not UTF-8)");
    if (!doc.is_object()) return Status::fail(StatusCode::invalid, "the request body must be a JSON object");
    return doc;
}

// A text member: `invalid` naming the field when it is missing (if required), not text,
// longer than `max_bytes`, or holds a control character.
Result<std::string> text_field(const json& body, const char* name, size_t max_bytes, bool required) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required) return Status::fail(StatusCode::invalid, std::string(name) + ": missing");
        return std::string();
    }
    if (!it->is_string()) return Status::fail(StatusCode::invalid, std::string(name) + ": must be text");
    const std::string& value = it->get_ref<const std::string&>();
    if (value.size() > max_bytes)
        return Status::fail(StatusCode::invalid, std::string(name) + ": longer than " + std::to_string(max_bytes) + " bytes");
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return Status::fail(StatusCode::invalid, std::string(name) + ": contains a control character");
    }
    return value;
}

Result<int64_t> int_field(const json& body, const char* name, int64_t min, int64_t max, bool required, int64_t fallback = 0) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required) return Status::fail(StatusCode::invalid, std::string(name) + ": missing");
        return fallback;
    }
    if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max)
        return Status::fail(StatusCode::invalid, std::string(name) + ": must be a whole number from " + std::to_string(min) + " to " +
                                                     std::to_string(max));
    return it->get<int64_t>();
}

Result<std::optional<bool>> bool_field(const json& body, const char* name) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::optional<bool>();
    if (!it->is_boolean()) return Status::fail(StatusCode::invalid, std::string(name) + ": must be true or false");
    return std::optional<bool>(it->get<bool>());
}

Result<std::vector<std::string>> list_field(const json& body, const char* name, size_t max_items) {
    auto it = body.find(name);
    std::vector<std::string> out;
    if (it == body.end() || it->is_null()) return out;
    if (!it->is_array()) return Status::fail(StatusCode::invalid, std::string(name) + ": must be a list of text");
    if (it->size() > max_items) return Status::fail(StatusCode::invalid, std::string(name) + ": at most " + std::to_string(max_items));
    for (const json& item : *it) {
        if (!item.is_string() || item.get_ref<const std::string&>().size() > kMaxFieldBytes)
            return Status::fail(StatusCode::invalid, std::string(name) + ": each must be text of at most 120 bytes");
        out.push_back(item.get<std::string>());
    }
    return out;
}

// The article fields of a draft from a request body.
Result<Article> article_fields(const json& body) {
    Article a;
    struct {
        const char* name;
        std::string* out;
        size_t max;
    } texts[] = {{"slug", &a.slug, kMaxSlugBytes},       {"title", &a.title, kMaxTitleBytes},
                 {"category", &a.category, kMaxFieldBytes}, {"owner", &a.owner, kMaxFieldBytes},
                 {"effective", &a.effective, 10},       {"review_by", &a.review_by, 10},
                 {"body", &a.body, kMaxBodyBytes}};
    for (auto& t : texts) {
        auto v = text_field(body, t.name, t.max, std::string_view(t.name) == "slug");
        if (!v) return v.status();
        *t.out = std::move(*v);
    }
    auto tags = list_field(body, "tags", kMaxTags);
    if (!tags) return tags.status();
    a.tags = std::move(*tags);
    a.status = "published";
    return a;
}

// --- JSON views -------------------------------------------------------------------------

json article_json(const Article& a) {
    return {{"slug", a.slug},         {"title", a.title},         {"category", a.category}, {"tags", a.tags},
            {"owner", a.owner},       {"effective", a.effective}, {"review_by", a.review_by}, {"status", a.status},
            {"body", a.body}};
}

json draft_json(const Draft& d) {
    json j = article_json(d.content);
    j.update({{"id", d.id},
              {"kind", draft_kind_name(d.kind)},
              {"base_version", d.base_version},
              {"revert_of", d.revert_of},
              {"author", d.author},
              {"state", draft_state_name(d.state)},
              {"summary", d.summary},
              {"must_acknowledge", d.must_acknowledge},
              {"review_comment", d.review_comment},
              {"reviewer", d.reviewer},
              {"published_version", d.published_version},
              {"revision", d.revision},
              {"client_id", d.client_id},
              {"created_at", d.created_at},
              {"updated_at", d.updated_at}});
    return j;
}

json version_json(const ArticleVersion& v, bool with_body) {
    json j = {{"version", v.version},          {"title", v.article.title},   {"status", v.article.status},
              {"effective", v.article.effective}, {"summary", v.change_note}, {"author", v.author},
              {"approver", v.approver},        {"published_at", v.created_at}, {"must_acknowledge", v.must_acknowledge},
              {"acknowledge_by", v.acknowledge_by}};
    if (with_body) j.update(article_json(v.article));
    return j;
}

json diff_json(const VersionDiff& diff) {
    json fields = json::array(), lines = json::array();
    for (const FieldChange& f : diff.fields) fields.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
    for (const DiffLine& l : diff.body.lines) {
        json line = {{"kind", diff_line_kind_name(l.kind)}, {"old", l.old_number}, {"new", l.new_number}};
        if (l.kind == DiffLine::Kind::changed) {
            json spans = json::array();
            for (const DiffSpan& s : l.spans) spans.push_back({{"kind", diff_span_kind_name(s.kind)}, {"text", s.text}});
            line["spans"] = spans;
        } else {
            line["text"] = l.kind == DiffLine::Kind::removed ? l.old_text : l.new_text;
        }
        lines.push_back(std::move(line));
    }
    return {{"fields", fields},
            {"lines", lines},
            {"added", diff.body.added},
            {"removed", diff.body.removed},
            {"changed", diff.body.changed}};
}

json user_json(const User& u) {
    return {{"name", u.name},         {"role", role_name(u.role)},  {"categories", u.categories},
            {"disabled", u.disabled}, {"created_at", u.created_at}, {"store", u.store}};
}

json must_read_json(const MustRead& m) {
    return {{"slug", m.slug},           {"title", m.title},       {"version", m.version},     {"effective", m.effective},
            {"acknowledge_by", m.acknowledge_by}, {"published_at", m.published_at}, {"summary", m.summary}};
}

std::string today_utc(int64_t now) {
    std::time_t t = static_cast<std::time_t>(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[16];
    std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
    return out;
}

Result<int64_t> path_number(const Request& req, size_t index) {
    const std::string& text = req.matches[static_cast<int>(index)];
    int64_t n = 0;
    auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (err != std::errc{} || end != text.data() + text.size() || n < 1) return Status::fail(StatusCode::not_found, "no such item");
    return n;
}

std::string path_text(const Request& req, size_t index) { return req.matches[static_cast<int>(index)]; }

// Runs `write` with the writer connection; a refusal of the rules (403) is written to the
// audit log too (outside the refused change's transaction, which rolled back).
template <typename Fn>
auto with_writer(ApiServices& api, Fn&& write) {
    auto writer = api.store->write();
    return write(writer.db());
}

// An audit row on its own (what was refused or failed wrote nothing else); if even that
// cannot be written, the server's log says so.
void audit_alone(ApiServices& api, const AuditEntry& entry) {
    auto writer = api.store->write();
    if (Status st = audit(writer.db(), entry); !st)
        std::cerr << "handbook serve: the audit log could not be written (" << st.error << "): " << entry.user << " "
                  << entry.action << " " << entry.target << " " << entry.outcome << "\n";
}

void audit_refusal(ApiServices& api, const ApiRequest& r, const char* action, const std::string& target, const Status& st) {
    if (st.code != StatusCode::forbidden) return;
    audit_alone(api, AuditEntry{0, "", r.user ? r.user->name : "", action, target, "refused", r.client, st.error});
}

// --- Handlers ---------------------------------------------------------------------------

void sign_in(ApiServices& api, ApiRequest& r, Response& res) {
    auto name = text_field(r.body, "user", kMaxUserNameBytes, true);
    auto password = text_field(r.body, "password", kMaxPasswordBytes, true);
    if (!name) return send_error(res, name.status());
    if (!password) return send_error(res, password.status());
    if (int64_t wait = api.throttle.wait_seconds(*name, r.client, r.now); wait > 0) {
        audit_alone(api, AuditEntry{0, "", *name, "sign_in", "session", "refused", r.client, "too many attempts"});
        res.set_header("Retry-After", std::to_string(wait));
        return send_error(res, Status::fail(StatusCode::too_many, "too many failed sign-ins: wait " + std::to_string(wait) +
                                                                      " seconds, then try again"));
    }
    auto record = [&] {
        auto reader = api.store->read();
        return sign_in_record(reader.db(), *name);
    }();
    if (!record) return send_error(res, record.status());
    auto matches = password_matches(record->password_hash, *password);  // no connection held meanwhile
    if (!matches) return send_error(res, matches.status());
    if (!*matches) {
        api.throttle.failed(*name, r.client, r.now);
        audit_alone(api, AuditEntry{0, "", *name, "sign_in", "session", "failed", r.client, ""});
        return send_error(res, Status::fail(StatusCode::unauthenticated, "wrong user name or password"));
    }
    api.throttle.succeeded(*name);
    auto token = with_writer(api, [&](Database& db) -> Result<std::string> {
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        auto t = create_session(db, record->user->id, r.client, r.now);
        if (!t) return t;
        if (Status st = audit(db, AuditEntry{0, "", record->user->name, "sign_in", "session", "ok", r.client, ""}); !st) return st;
        if (Status st = tx.commit(); !st) return st;
        return t;
    });
    if (!token) return send_error(res, token.status());
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + *token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                     std::to_string(kLifetimeSeconds) + (api.secure_cookies ? "; Secure" : ""));
    send_json(res, 200, user_json(*record->user));
}

void sign_out(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string token = session_token_from_cookies(r.http.get_header_value("Cookie"));
    Status st = with_writer(api, [&](Database& db) {
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        if (Status s = end_session(db, token); !s) return s;
        if (Status s = audit(db, AuditEntry{0, "", r.user->name, "sign_out", "session", "ok", r.client, ""}); !s) return s;
        return tx.commit();
    });
    if (!st) return send_error(res, st);
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                     (api.secure_cookies ? "; Secure" : ""));
    send_json(res, 200, {{"signed_out", true}});
}

// Who is signed in with this request's cookie, for anyone: {"signed_in": false} when no
// one is (a page asking at start must not get an error for being signed out).
void session_state(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string token = session_token_from_cookies(r.http.get_header_value("Cookie"));
    if (token.empty()) return send_json(res, 200, json{{"signed_in", false}});
    auto found = [&] {
        auto reader = api.store->read();
        return find_session(reader.db(), token, r.now);
    }();
    if (!found) return send_error(res, found.status());
    if (!found->user) return send_json(res, 200, json{{"signed_in", false}});  // ended, unknown, or disabled
    json j = user_json(*found->user);
    j["signed_in"] = true;
    send_json(res, 200, j);
}

void me(ApiServices& api, ApiRequest& r, Response& res) {
    auto settings = [&] {
        auto reader = api.store->read();
        return workflow_settings(reader.db());
    }();
    if (!settings) return send_error(res, settings.status());
    json j = user_json(*r.user);
    const Role role = r.user->role;
    j["may"] = {{"write", role != Role::staff},
                {"review", role == Role::approver || role == Role::admin},
                {"manage_users", role == Role::admin},
                {"self_approval", settings->self_approval}};
    send_json(res, 200, j);
}

void versions(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string slug = path_text(r.http, 1);
    auto reader = api.store->read();
    auto history = article_history(reader.db(), slug, false);
    if (!history) return send_error(res, history.status());
    if (history->empty()) return send_error(res, Status::fail(StatusCode::not_found, "there is no policy '" + slug + "'"));
    json list = json::array();
    for (auto it = history->rbegin(); it != history->rend(); ++it) list.push_back(version_json(*it, false));
    send_json(res, 200, {{"slug", slug}, {"versions", list}});
}

void one_version(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string slug = path_text(r.http, 1);
    auto number = path_number(r.http, 2);
    if (!number) return send_error(res, number.status());
    auto reader = api.store->read();
    auto v = article_version(reader.db(), slug, static_cast<int>(std::min<int64_t>(*number, 1000000000)));
    if (!v) return send_error(res, v.status());
    if (!v->has_value()) return send_error(res, Status::fail(StatusCode::not_found, "'" + slug + "' has no version " + std::to_string(*number)));
    send_json(res, 200, version_json(**v, true));
}

Result<int> query_version(const Request& req, const char* name) {
    const std::string text = req.get_param_value(name);
    int n = 0;
    auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || err != std::errc{} || end != text.data() + text.size() || n < 1)
        return Status::fail(StatusCode::invalid, std::string(name) + ": a version number from 1 up");
    return n;
}

void diff(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string slug = path_text(r.http, 1);
    auto from = query_version(r.http, "from");
    auto to = query_version(r.http, "to");
    if (!from) return send_error(res, from.status());
    if (!to) return send_error(res, to.status());
    auto reader = api.store->read();
    auto a = article_version(reader.db(), slug, *from);
    auto b = article_version(reader.db(), slug, *to);
    if (!a) return send_error(res, a.status());
    if (!b) return send_error(res, b.status());
    if (!a->has_value() || !b->has_value())
        return send_error(res, Status::fail(StatusCode::not_found, "'" + slug + "' has no version " + std::to_string(a->has_value() ? *to : *from)));
    json j = diff_json(diff_articles((*a)->article, (*b)->article));
    j.update({{"slug", slug}, {"from", *from}, {"to", *to}});
    send_json(res, 200, j);
}

void archive(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string slug = path_text(r.http, 1);
    auto summary = text_field(r.body, "summary", 1000, true);
    if (!summary) return send_error(res, summary.status());
    auto draft = with_writer(api, [&](Database& db) { return request_archive(db, r.acting(), slug, *summary); });
    if (!draft) {
        audit_refusal(api, r, "archive_request", slug, draft.status());
        return send_error(res, draft.status());
    }
    send_json(res, 201, draft_json(*draft));
}

void revert(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string slug = path_text(r.http, 1);
    auto summary = text_field(r.body, "summary", 1000, true);
    auto version = int_field(r.body, "version", 1, 1000000000, true);
    if (!summary) return send_error(res, summary.status());
    if (!version) return send_error(res, version.status());
    auto draft = with_writer(api, [&](Database& db) { return request_revert(db, r.acting(), slug, static_cast<int>(*version), *summary); });
    if (!draft) {
        audit_refusal(api, r, "revert_request", slug, draft.status());
        return send_error(res, draft.status());
    }
    send_json(res, 201, draft_json(*draft));
}

void drafts_list(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string state = r.http.get_param_value("state");
    auto reader = api.store->read();
    auto list = list_drafts(reader.db(), r.acting(), state.substr(0, 20));
    if (!list) return send_error(res, list.status());
    json out = json::array();
    for (Draft& d : *list) {
        d.content.body.clear();  // a listing: the text comes with the draft itself
        out.push_back(draft_json(d));
    }
    send_json(res, 200, {{"drafts", out}});
}

void draft_create(ApiServices& api, ApiRequest& r, Response& res) {
    auto content = article_fields(r.body);
    auto base = int_field(r.body, "base_version", 0, 1000000000, false, 0);
    auto client_id = text_field(r.body, "client_id", 64, false);
    if (!content) return send_error(res, content.status());
    if (!base) return send_error(res, base.status());
    if (!client_id) return send_error(res, client_id.status());
    auto draft = with_writer(api, [&](Database& db) { return create_draft(db, r.acting(), *content, static_cast<int>(*base), *client_id); });
    if (!draft) {
        audit_refusal(api, r, "draft_create", content->slug, draft.status());
        return send_error(res, draft.status());
    }
    send_json(res, 201, draft_json(*draft));
}

void draft_get(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = path_number(r.http, 1);
    if (!id) return send_error(res, id.status());
    auto reader = api.store->read();
    auto draft = get_draft(reader.db(), r.acting(), *id);
    if (!draft) return send_error(res, draft.status());
    json j = draft_json(*draft);
    auto number = newest_version(reader.db(), draft->content.slug);
    if (!number) return send_error(res, number.status());
    auto live = article_version(reader.db(), draft->content.slug, *number);
    if (!live) return send_error(res, live.status());
    if (live->has_value()) {
        json l = article_json((*live)->article);
        l["version"] = (*live)->version;
        j["live"] = l;
        j["diff"] = diff_json(diff_articles((*live)->article, draft->content));
    } else {
        j["live"] = nullptr;
        j["diff"] = diff_json(diff_articles(Article{}, draft->content));
    }
    send_json(res, 200, j);
}

void draft_save(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = path_number(r.http, 1);
    if (!id) return send_error(res, id.status());
    auto content = article_fields(r.body);
    auto revision = int_field(r.body, "revision", 1, 2000000000, true);
    auto merged_with = int_field(r.body, "base_version", 0, 1000000000, false, 0);
    if (!content) return send_error(res, content.status());
    if (!revision) return send_error(res, revision.status());
    if (!merged_with) return send_error(res, merged_with.status());
    auto draft = with_writer(api, [&](Database& db) {
        return save_draft(db, r.acting(), *id, static_cast<int>(*revision), *content, static_cast<int>(*merged_with));
    });
    if (!draft) return send_error(res, draft.status());
    send_json(res, 200, draft_json(*draft));
}

void draft_discard(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = path_number(r.http, 1);
    if (!id) return send_error(res, id.status());
    Status st = with_writer(api, [&](Database& db) { return discard_draft(db, r.acting(), *id); });
    if (!st) {
        audit_refusal(api, r, "discard", "draft " + std::to_string(*id), st);
        return send_error(res, st);
    }
    send_json(res, 200, {{"discarded", *id}});
}

void draft_submit(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = path_number(r.http, 1);
    if (!id) return send_error(res, id.status());
    auto summary = text_field(r.body, "summary", 1000, true);
    auto ack = bool_field(r.body, "must_acknowledge");
    if (!summary) return send_error(res, summary.status());
    if (!ack) return send_error(res, ack.status());
    auto draft = with_writer(api, [&](Database& db) { return submit_draft(db, r.acting(), *id, *summary, ack->value_or(false)); });
    if (!draft) {
        audit_refusal(api, r, "submit", "draft " + std::to_string(*id), draft.status());
        return send_error(res, draft.status());
    }
    send_json(res, 200, draft_json(*draft));
}

void draft_return(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = path_number(r.http, 1);
    if (!id) return send_error(res, id.status());
    auto comment = text_field(r.body, "comment", kMaxReviewCommentBytes, false);
    if (!comment) return send_error(res, comment.status());
    auto draft = with_writer(api, [&](Database& db) { return return_draft(db, r.acting(), *id, *comment); });
    if (!draft) {
        audit_refusal(api, r, "return", "draft " + std::to_string(*id), draft.status());
        return send_error(res, draft.status());
    }
    send_json(res, 200, draft_json(*draft));
}

void draft_publish(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = path_number(r.http, 1);
    if (!id) return send_error(res, id.status());
    auto effective = text_field(r.body, "effective", 10, false);
    auto ack = bool_field(r.body, "must_acknowledge");
    auto due = text_field(r.body, "acknowledge_by", 10, false);
    if (!effective) return send_error(res, effective.status());
    if (!ack) return send_error(res, ack.status());
    if (!due) return send_error(res, due.status());
    PublishOptions options{*effective, *ack, *due, today_utc(r.now)};
    PublishConflict conflict;
    auto published = with_writer(api, [&](Database& db) { return publish_draft(db, r.acting(), *id, options, &conflict); });
    if (!published) {
        audit_refusal(api, r, "publish", "draft " + std::to_string(*id), published.status());
        if (published.code() == StatusCode::conflict && conflict.draft.id != 0) {
            // Both sides, so the author can merge by hand: the draft, the live version,
            // and what the live version changed since the draft's start.
            json body = {{"error", published.error()}, {"code", "conflict"}, {"draft", draft_json(conflict.draft)}};
            if (conflict.live) {
                json live = article_json(conflict.live->article);
                live["version"] = conflict.live->version;
                body["live"] = live;
                body["diff"] = diff_json(diff_articles(conflict.draft.content, conflict.live->article));
            }
            return send_json(res, 409, body);
        }
        return send_error(res, published.status());
    }
    send_json(res, 200, {{"draft", *id}, {"version", published->version}, {"seq", published->seq}});
}

void audit_list(ApiServices& api, ApiRequest& r, Response& res) {
    AuditFilter filter;
    filter.since = r.http.get_param_value("since").substr(0, 40);
    filter.user = r.http.get_param_value("user").substr(0, kMaxUserNameBytes);
    if (r.http.has_param("limit")) {
        const std::string text = r.http.get_param_value("limit");
        auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), filter.limit);
        if (err != std::errc{} || end != text.data() + text.size() || filter.limit < 1 || filter.limit > 10000)
            return send_error(res, Status::fail(StatusCode::invalid, "limit: a number from 1 to 10000"));
    }
    auto reader = api.store->read();
    auto entries = read_audit(reader.db(), filter);
    if (!entries) return send_error(res, entries.status());
    json out = json::array();
    for (const AuditEntry& e : *entries)
        out.push_back({{"id", e.id}, {"at", e.at}, {"user", e.user}, {"action", e.action}, {"target", e.target},
                       {"outcome", e.outcome}, {"client", e.client}, {"detail", e.detail}});
    send_json(res, 200, {{"entries", out}});
}

void users_list(ApiServices& api, ApiRequest&, Response& res) {
    auto reader = api.store->read();
    auto users = list_users(reader.db());
    if (!users) return send_error(res, users.status());
    json out = json::array();
    for (const User& u : *users) out.push_back(user_json(u));
    send_json(res, 200, {{"users", out}});
}

Result<Role> role_field(const json& body, bool required) {
    auto text = text_field(body, "role", 20, required);
    if (!text) return text.status();
    auto role = parse_role(*text);
    if (!role) return Status::fail(StatusCode::invalid, "role: one of staff, editor, approver, admin");
    return *role;
}

void user_add(ApiServices& api, ApiRequest& r, Response& res) {
    auto name = text_field(r.body, "name", kMaxUserNameBytes, true);
    auto role = role_field(r.body, true);
    auto categories = list_field(r.body, "categories", 50);
    auto password = text_field(r.body, "password", kMaxPasswordBytes, true);
    auto store = text_field(r.body, "store", kMaxFieldBytes, false);
    for (const Status& st : {name.status(), role.status(), categories.status(), password.status(), store.status()})
        if (!st) return send_error(res, st);
    auto user = with_writer(api, [&](Database& db) -> Result<User> {
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        auto added = add_user(db, *name, *role, *categories, *password);
        if (!added) return added;
        if (!store->empty()) {
            if (Status st = set_user_store(db, *name, *store); !st) return st;
            added->store = *store;
        }
        if (Status st = audit(db, AuditEntry{0, "", r.user->name, "user_add", "user " + *name, "ok", r.client, role_name(*role)}); !st)
            return st;
        if (Status st = tx.commit(); !st) return st;
        return added;
    });
    if (!user) return send_error(res, user.status());
    send_json(res, 201, user_json(*user));
}

void user_change(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string name = path_text(r.http, 1);
    auto disabled = bool_field(r.body, "disabled");
    auto password = text_field(r.body, "password", kMaxPasswordBytes, false);
    auto store = text_field(r.body, "store", kMaxFieldBytes, false);
    if (!disabled) return send_error(res, disabled.status());
    if (!password) return send_error(res, password.status());
    if (!store) return send_error(res, store.status());
    const bool sets_role = r.body.contains("role");
    auto role = sets_role ? role_field(r.body, true) : Result<Role>(Role::staff);
    auto categories = list_field(r.body, "categories", 50);
    if (!role) return send_error(res, role.status());
    if (!categories) return send_error(res, categories.status());
    if (name == r.user->name && ((disabled->value_or(false)) || (sets_role && *role != Role::admin)))
        return send_error(res, Status::fail(StatusCode::conflict, "an admin cannot disable or demote their own account (ask another admin)"));
    Status st = with_writer(api, [&](Database& db) {
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        std::string detail;
        if (sets_role) {
            if (Status s = set_user_role(db, name, *role, *categories); !s) return s;
            detail += std::string("role ") + role_name(*role) + "; ";
        }
        if (disabled->has_value()) {
            if (Status s = set_user_disabled(db, name, **disabled); !s) return s;
            detail += **disabled ? "disabled; " : "enabled; ";
        }
        if (!password->empty()) {
            if (Status s = set_user_password(db, name, *password); !s) return s;
            detail += "new password; ";
        }
        if (r.body.contains("store")) {
            if (Status s = set_user_store(db, name, *store); !s) return s;
            detail += "store " + *store + "; ";
        }
        if (detail.empty()) return Status::fail(StatusCode::invalid, "nothing to change: give role, disabled, password or store");
        if (Status a = audit(db, AuditEntry{0, "", r.user->name, "user_change", "user " + name, "ok", r.client, detail}); !a) return a;
        return tx.commit();
    });
    if (!st) return send_error(res, st);
    auto reader = api.store->read();
    auto user = find_user(reader.db(), name);
    if (!user || !user->has_value()) return send_error(res, user ? Status::fail(StatusCode::not_found, "no account " + name) : user.status());
    send_json(res, 200, user_json(**user));
}

void settings_get(ApiServices& api, ApiRequest&, Response& res) {
    auto reader = api.store->read();
    auto s = workflow_settings(reader.db());
    if (!s) return send_error(res, s.status());
    send_json(res, 200, {{"self_approval", s->self_approval}});
}

void settings_put(ApiServices& api, ApiRequest& r, Response& res) {
    auto self = bool_field(r.body, "self_approval");
    if (!self) return send_error(res, self.status());
    if (!self->has_value()) return send_error(res, Status::fail(StatusCode::invalid, "self_approval: missing"));
    Status st = with_writer(api, [&](Database& db) {
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        if (Status s = set_workflow_settings(db, WorkflowSettings{**self}); !s) return s;
        if (Status s = audit(db, AuditEntry{0, "", r.user->name, "settings", "self_approval", "ok", r.client, **self ? "on" : "off"}); !s)
            return s;
        return tx.commit();
    });
    if (!st) return send_error(res, st);
    send_json(res, 200, {{"self_approval", **self}});
}

void acknowledge(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = text_field(r.body, "id", kMaxClientIdBytes, true);
    auto slug = text_field(r.body, "slug", kMaxSlugBytes, true);
    auto version = int_field(r.body, "version", 1, 1000000000, true);
    auto at = text_field(r.body, "acknowledged_at", 30, true);
    for (const Status& st : {id.status(), slug.status(), version.status(), at.status()})
        if (!st) return send_error(res, st);
    auto recorded = with_writer(api, [&](Database& db) {
        return record_acknowledgement(db, *r.user, *id, *slug, static_cast<int>(*version), *at, r.client);
    });
    if (!recorded) return send_error(res, recorded.status());
    send_json(res, 200, {{"id", *id}, {"recorded", *recorded == Recorded::recorded}, {"already", *recorded == Recorded::already}});
}

void my_acknowledgements(ApiServices& api, ApiRequest& r, Response& res) {
    auto reader = api.store->read();
    auto acks = acknowledgements_of(reader.db(), r.user->id);
    if (!acks) return send_error(res, acks.status());
    auto must = must_read_versions(reader.db());
    if (!must) return send_error(res, must.status());
    json done = json::array(), pending = json::array();
    for (const Acknowledgement& a : *acks) done.push_back({{"slug", a.slug}, {"version", a.version}, {"acknowledged_at", a.acknowledged_at}});
    for (const ToRead& t : still_to_read(*must, *acks, today_utc(r.now))) {
        json j = must_read_json(t.item);
        j["last_acknowledged"] = t.last_acknowledged;
        j["overdue"] = t.overdue;
        pending.push_back(j);
    }
    send_json(res, 200, {{"acknowledgements", done}, {"to_read", pending}});
}

// Owners see reports for the categories they work in.
Status check_owner_of(Database& db, const User& user, const std::string& slug) {
    auto article = get_article(db, slug);
    if (!article) return article.status();
    if (!article->has_value()) return Status::fail(StatusCode::not_found, "there is no policy '" + slug + "'");
    if (!covers_category(user.actor(), (*article)->article.category))
        return Status::fail(StatusCode::forbidden, "you see reports for your own categories only");
    return Status::ok();
}

void acknowledgement_report_route(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string slug = r.http.get_param_value("slug").substr(0, kMaxSlugBytes);
    auto reader = api.store->read();
    if (slug.empty()) {
        // Every must-read version in my categories, with its counts.
        auto must = must_read_versions(reader.db());
        if (!must) return send_error(res, must.status());
        json out = json::array();
        for (const MustRead& m : *must) {
            if (!check_owner_of(reader.db(), *r.user, m.slug)) continue;
            auto report = acknowledgement_report(reader.db(), m.slug, m.version, today_utc(r.now));
            if (!report) return send_error(res, report.status());
            json j = must_read_json(m);
            j.update({{"acknowledged", report->acknowledged}, {"pending", report->pending}, {"overdue", report->overdue}});
            out.push_back(j);
        }
        return send_json(res, 200, {{"versions", out}});
    }
    if (Status st = check_owner_of(reader.db(), *r.user, slug); !st) return send_error(res, st);
    int version = 0;
    if (r.http.has_param("version")) {
        auto v = query_version(r.http, "version");
        if (!v) return send_error(res, v.status());
        version = *v;
    }
    auto report = acknowledgement_report(reader.db(), slug, version, today_utc(r.now));
    if (!report) return send_error(res, report.status());
    if (r.http.get_param_value("format") == "csv") {
        res.status = 200;
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition", "attachment; filename=\"acknowledgements-" + slug + "-v" + std::to_string(report->item.version) + ".csv\"");
        res.set_content(acknowledgement_report_csv(*report), "text/csv; charset=utf-8");
        return;
    }
    json rows = json::array();
    for (const ReceiptRow& row : report->rows)
        rows.push_back({{"user", row.user.name}, {"role", role_name(row.user.role)}, {"store", row.user.store},
                        {"acknowledged_at", row.acknowledged_at}, {"received_at", row.received_at},
                        {"acknowledged_version", row.acknowledged_version}, {"overdue", row.overdue}});
    json j = must_read_json(report->item);
    j.update({{"rows", rows}, {"acknowledged", report->acknowledged}, {"pending", report->pending}, {"overdue", report->overdue}});
    send_json(res, 200, j);
}

void search_miss(ApiServices& api, ApiRequest& r, Response& res) {
    auto id = text_field(r.body, "id", kMaxClientIdBytes, true);
    auto query = text_field(r.body, "query", kMaxSearchMissBytes, true);
    auto kind = text_field(r.body, "kind", 20, true);
    auto at = text_field(r.body, "searched_at", 30, true);
    for (const Status& st : {id.status(), query.status(), kind.status(), at.status()})
        if (!st) return send_error(res, st);
    auto recorded = with_writer(api, [&](Database& db) { return record_search_miss(db, *id, *query, *kind, *at); });
    if (!recorded) return send_error(res, recorded.status());
    send_json(res, 200, {{"id", *id}, {"recorded", *recorded == Recorded::recorded}, {"already", *recorded == Recorded::already}});
}

void search_miss_report(ApiServices& api, ApiRequest& r, Response& res) {
    int limit = 50;
    if (r.http.has_param("limit")) {
        const std::string text = r.http.get_param_value("limit");
        auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), limit);
        if (err != std::errc{} || end != text.data() + text.size() || limit < 1 || limit > 1000)
            return send_error(res, Status::fail(StatusCode::invalid, "limit: a number from 1 to 1000"));
    }
    auto reader = api.store->read();
    auto misses = frequent_search_misses(reader.db(), r.http.get_param_value("since").substr(0, 40), limit);
    if (!misses) return send_error(res, misses.status());
    json out = json::array();
    for (const FrequentMiss& m : *misses) out.push_back({{"query", m.query}, {"count", m.count}, {"no_results", m.no_results}, {"last_seen", m.last_seen}});
    send_json(res, 200, {{"searches", out}});
}

void confirm_review_route(ApiServices& api, ApiRequest& r, Response& res) {
    const std::string slug = path_text(r.http, 1);
    auto review_by = text_field(r.body, "review_by", 10, true);
    if (!review_by) return send_error(res, review_by.status());
    if (*review_by <= today_utc(r.now))
        return send_error(res, Status::fail(StatusCode::invalid, "review_by: the next review is after today"));
    Status st = with_writer(api, [&](Database& db) -> Status {
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        if (Status owner = check_owner_of(db, *r.user, slug); !owner) return owner;
        char now[32];
        const std::time_t t = static_cast<std::time_t>(r.now);
        std::strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
        auto seq = confirm_review(db, slug, *review_by, r.user->name, now);
        if (!seq) return seq.status();
        if (Status a = audit(db, AuditEntry{0, "", r.user->name, "confirm_review", slug, "ok", r.client, "next review " + *review_by}); !a)
            return a;
        return tx.commit();
    });
    if (!st) {
        audit_refusal(api, r, "confirm_review", slug, st);
        return send_error(res, st);
    }
    send_json(res, 200, {{"slug", slug}, {"review_by", *review_by}});
}

void reviews_due(ApiServices& api, ApiRequest& r, Response& res) {
    auto reader = api.store->read();
    auto articles = list_articles(reader.db(), false);
    if (!articles) return send_error(res, articles.status());
    const std::string today = today_utc(r.now);
    json out = json::array();
    for (const StoredArticle& a : *articles) {
        if (a.article.status != "published" || a.article.review_by >= today) continue;
        if (!covers_category(r.user->actor(), a.article.category)) continue;
        out.push_back({{"slug", a.article.slug}, {"title", a.article.title}, {"category", a.article.category},
                       {"owner", a.article.owner}, {"review_by", a.article.review_by}, {"reviewed_at", a.reviewed_at}});
    }
    send_json(res, 200, {{"due", out}});
}

const std::vector<ApiRoute> kRoutes = {
    {"GET", "/api/session", Access::anyone, 0, session_state},
    {"POST", "/api/session", Access::anyone, 4096, sign_in},
    {"DELETE", "/api/session", Access::signed_in, 0, sign_out},
    {"GET", "/api/me", Access::signed_in, 0, me},
    {"GET", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/versions", Access::anyone, 0, versions},
    {"GET", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/versions/([0-9]{1,10})", Access::anyone, 0, one_version},
    {"GET", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/diff", Access::anyone, 0, diff},
    {"POST", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/archive", Access::editor, kSmallBody, archive},
    {"POST", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/revert", Access::editor, kSmallBody, revert},
    {"GET", "/api/drafts", Access::editor, 0, drafts_list},
    {"POST", "/api/drafts", Access::editor, kArticleBody, draft_create},
    {"GET", "/api/drafts/([0-9]{1,18})", Access::editor, 0, draft_get},
    {"PUT", "/api/drafts/([0-9]{1,18})", Access::editor, kArticleBody, draft_save},
    {"DELETE", "/api/drafts/([0-9]{1,18})", Access::editor, 0, draft_discard},
    {"POST", "/api/drafts/([0-9]{1,18})/submit", Access::editor, kSmallBody, draft_submit},
    {"POST", "/api/drafts/([0-9]{1,18})/return", Access::editor, kSmallBody, draft_return},
    {"POST", "/api/drafts/([0-9]{1,18})/publish", Access::approver, kSmallBody, draft_publish},
    {"GET", "/api/audit", Access::approver, 0, audit_list},
    {"GET", "/api/users", Access::admin, 0, users_list},
    {"POST", "/api/users", Access::admin, kSmallBody, user_add},
    {"PATCH", "/api/users/([A-Za-z0-9._@-]{1,64})", Access::admin, kSmallBody, user_change},
    {"POST", "/api/acknowledgements", Access::signed_in, kSmallBody, acknowledge},
    {"GET", "/api/acknowledgements", Access::signed_in, 0, my_acknowledgements},
    {"GET", "/api/reports/acknowledgements", Access::editor, 0, acknowledgement_report_route},
    {"POST", "/api/search-misses", Access::anyone, kSmallBody, search_miss},
    {"GET", "/api/reports/search-misses", Access::editor, 0, search_miss_report},
    {"POST", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/confirm-review", Access::editor, kSmallBody, confirm_review_route},
    {"GET", "/api/reports/reviews-due", Access::editor, 0, reviews_due},
    {"GET", "/api/settings", Access::admin, 0, settings_get},
    {"PUT", "/api/settings", Access::admin, kSmallBody, settings_put},
};

bool role_reaches(Role role, Access access) {
    switch (access) {
    case Access::anyone:
    case Access::signed_in: return true;
    case Access::editor: return role != Role::staff;
    case Access::approver: return role == Role::approver || role == Role::admin;
    case Access::admin: return role == Role::admin;
    }
    return false;
}

// A request that writes must come from this app's own pages: a custom header (which a
// cross-site form cannot send, and cross-site script only after a CORS preflight this
// server never grants), and no foreign Origin or cross-site fetch metadata.
Status check_same_site(const Request& req) {
    if (req.get_header_value("X-Handbook-Request") != "1")
        return Status::fail(StatusCode::forbidden, "this request must come from the Handbook app (X-Handbook-Request: 1)");
    if (req.get_header_value("Sec-Fetch-Site") == "cross-site")
        return Status::fail(StatusCode::forbidden, "a request from another site is refused");
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty()) {
        const std::string host = req.get_header_value("Host");
        if (origin != "http://" + host && origin != "https://" + host)
            return Status::fail(StatusCode::forbidden, "a request from another site (" + origin.substr(0, 100) + ") is refused");
    }
    return Status::ok();
}

void handle(ApiServices& api, const ApiRoute& route, const Request& http, Response& res) {
    ApiRequest r{http, std::nullopt, http.remote_addr, api.clock ? api.clock() : static_cast<int64_t>(std::time(nullptr)), json::object()};
    const bool writes = std::string_view(route.method) != "GET";
    if (writes) {
        if (Status st = check_same_site(http); !st) return send_error(res, st);
    }
    // Who is asking (a session cookie), for every route: `anyone` routes ignore it.
    const std::string token = session_token_from_cookies(http.get_header_value("Cookie"));
    if (!token.empty() && route.access != Access::anyone) {
        auto found = [&] {
            auto reader = api.store->read();
            return find_session(reader.db(), token, r.now);
        }();
        if (!found) return send_error(res, found.status());
        r.user = found->user;
        if (found->touch) (void)with_writer(api, [&](Database& db) { return touch_session(db, token, r.now); });
    }
    if (route.access != Access::anyone) {
        if (!r.user) return send_error(res, Status::fail(StatusCode::unauthenticated, "sign in first (or again: the session ended)"));
        if (!role_reaches(r.user->role, route.access))
            return send_error(res, Status::fail(StatusCode::forbidden, std::string("this needs the role ") + access_name(route.access) +
                                                                           "; you are " + role_name(r.user->role)));
    }
    if (route.max_body > 0) {
        if (http.body.size() > route.max_body)
            return send_error(res, Status::fail(StatusCode::invalid, "the request body is larger than " + std::to_string(route.max_body) + " bytes"));
        auto body = parse_body(http);
        if (!body) return send_error(res, body.status());
        r.body = std::move(*body);
    }
    route.handler(api, r, res);
}

}  // namespace

const char* access_name(Access access) {
    switch (access) {
    case Access::anyone: return "anyone";
    case Access::signed_in: return "signed_in";
    case Access::editor: return "editor";
    case Access::approver: return "approver";
    case Access::admin: return "admin";
    }
    return "anyone";
}

const std::vector<ApiRoute>& api_routes() { return kRoutes; }

const ApiRoute* find_api_route(const std::string& method, const std::string& path, std::string* other_methods) {
    static const std::vector<std::regex> patterns = [] {
        std::vector<std::regex> out;
        for (const ApiRoute& r : kRoutes) out.emplace_back(r.pattern);
        return out;
    }();
    const std::string asked = method == "HEAD" ? "GET" : method;
    for (size_t i = 0; i < kRoutes.size(); ++i) {
        if (!std::regex_match(path, patterns[i])) continue;
        if (asked == kRoutes[i].method) return &kRoutes[i];
        if (other_methods) *other_methods += (other_methods->empty() ? "" : ", ") + std::string(kRoutes[i].method);
    }
    return nullptr;
}

size_t largest_api_body() {
    size_t largest = 0;
    for (const ApiRoute& r : kRoutes) largest = std::max(largest, r.max_body);
    return largest;
}

void install_api(httplib::Server& server, ApiServices& services) {
    prepare_sign_in_checks();
    for (const ApiRoute& route : kRoutes) {
        auto handler = [&services, &route](const Request& req, Response& res) { handle(services, route, req, res); };
        const std::string method = route.method;
        if (method == "GET") server.Get(route.pattern, handler);
        else if (method == "POST") server.Post(route.pattern, handler);
        else if (method == "PUT") server.Put(route.pattern, handler);
        else if (method == "PATCH") server.Patch(route.pattern, handler);
        else if (method == "DELETE") server.Delete(route.pattern, handler);
    }
}

}  // namespace handbook
