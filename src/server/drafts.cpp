// See drafts.h.
#include "drafts.h"

#include "audit_log.h"

namespace handbook {

namespace {

const char* kDraftSelect =
    "SELECT d.id, d.kind, d.base_version, coalesce(d.revert_of, 0), d.slug, d.title, d.category, d.tags_json, d.owner, "
    "d.effective, d.review_by, d.body, d.author_id, a.name, d.state, d.summary, d.must_ack, d.review_comment, "
    "coalesce(r.name, ''), coalesce(d.published_version, 0), d.revision, coalesce(d.client_id, ''), d.created_at, d.updated_at "
    "FROM drafts d JOIN users a ON a.id = d.author_id LEFT JOIN users r ON r.id = d.reviewer_id ";

Result<Draft> read_draft(const Statement& row) {
    Draft d;
    d.id = row.column_int(0);
    auto kind = parse_draft_kind(row.column_text(1));
    if (!kind) return Status::fail(StatusCode::corrupt, "draft " + std::to_string(d.id) + " has an unknown kind");
    d.kind = *kind;
    d.base_version = static_cast<int>(row.column_int(2));
    d.revert_of = static_cast<int>(row.column_int(3));
    Article& a = d.content;
    a.slug = row.column_text(4);
    a.title = row.column_text(5);
    a.category = row.column_text(6);
    auto tags = tags_from_json(row.column_text(7));
    if (!tags) return tags.status();
    a.tags = std::move(*tags);
    a.owner = row.column_text(8);
    a.effective = row.column_text(9);
    a.review_by = row.column_text(10);
    a.body = row.column_text(11);
    a.status = d.kind == DraftKind::archive ? "archived" : "published";
    d.author_id = row.column_int(12);
    d.author = row.column_text(13);
    auto state = parse_draft_state(row.column_text(14));
    if (!state) return Status::fail(StatusCode::corrupt, "draft " + std::to_string(d.id) + " has an unknown state");
    d.state = *state;
    d.summary = row.column_text(15);
    d.must_acknowledge = row.column_int(16) != 0;
    d.review_comment = row.column_text(17);
    d.reviewer = row.column_text(18);
    d.published_version = static_cast<int>(row.column_int(19));
    d.revision = static_cast<int>(row.column_int(20));
    d.client_id = row.column_text(21);
    d.created_at = row.column_text(22);
    d.updated_at = row.column_text(23);
    return d;
}

Result<std::optional<Draft>> load_draft(Database& db, int64_t id) {
    auto stmt = db.prepare(std::string(kDraftSelect) + "WHERE d.id = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, id);
    if (stmt->step()) {
        auto d = read_draft(*stmt);
        if (!d) return d.status();
        return std::optional<Draft>(std::move(*d));
    }
    if (!stmt->status()) return stmt->status();
    return std::optional<Draft>();
}

Status no_draft(int64_t id) { return Status::fail(StatusCode::not_found, "there is no draft " + std::to_string(id)); }

// A decision of the rules as a status.
Status decide(const Decision& d) {
    if (d.allowed) return Status::ok();
    return Status::fail(d.forbidden ? StatusCode::forbidden : StatusCode::conflict, d.reason);
}

// What a draft must be while it is written (core/article.h: the device checks the same
// before sending one).
Status check_draft_content(const Article& a) {
    auto problems = draft_problems(a);
    if (problems.empty()) return Status::ok();
    return Status::fail(StatusCode::invalid, problems.front().field + ": " + problems.front().message);
}

// Everything a version needs: the full checks, with the field each problem concerns.
Status check_publishable(const Article& a) {
    auto problems = validate_article(a);
    if (problems.empty()) return Status::ok();
    return Status::fail(StatusCode::invalid, problems.front().field + ": " + problems.front().message);
}

Status write_audit(Database& db, const Acting& who, const char* action, const std::string& target, const std::string& detail) {
    return audit(db, AuditEntry{0, "", who.user.name, action, target, "ok", who.client, detail});
}

Result<Draft> reload(Database& db, int64_t id) {
    auto d = load_draft(db, id);
    if (!d) return d.status();
    if (!d->has_value()) return no_draft(id);
    return **d;
}

Status update_state(Database& db, int64_t id, DraftState state) {
    auto stmt = db.prepare("UPDATE drafts SET state = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1");
    if (!stmt) return stmt.status();
    return stmt->bind(1, id).bind(2, std::string_view(draft_state_name(state))).run();
}

Result<int64_t> insert_draft(Database& db, const Acting& who, DraftKind kind, const Article& a, int base_version,
                             int revert_of, DraftState state, const std::string& summary, const std::string& client_id) {
    auto ins = db.prepare(
        "INSERT INTO drafts(slug, kind, base_version, revert_of, title, category, tags_json, owner, effective, review_by, body, "
        "author_id, state, summary, client_id, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (!ins) return ins.status();
    ins->bind(1, a.slug).bind(2, std::string_view(draft_kind_name(kind))).bind(3, base_version);
    if (revert_of > 0) ins->bind(4, revert_of);
    ins->bind(5, a.title).bind(6, a.category).bind(7, tags_to_json(a.tags)).bind(8, a.owner).bind(9, a.effective);
    ins->bind(10, a.review_by).bind(11, a.body).bind(12, who.user.id).bind(13, std::string_view(draft_state_name(state)));
    ins->bind(14, summary);
    if (!client_id.empty()) ins->bind(15, client_id);
    if (Status st = ins->run(); !st) return st;
    return db.last_insert_rowid();
}

// The newest version of `slug` (whatever its date): what drafts start from and are
// checked against. Nothing for an article that does not exist.
Result<std::optional<ArticleVersion>> newest(Database& db, const std::string& slug) {
    auto number = newest_version(db, slug);
    if (!number) return number.status();
    if (*number == 0) return std::optional<ArticleVersion>();
    return article_version(db, slug, *number);
}

Status check_summary(const std::string& summary) {
    if (summary.find_first_not_of(" \t\r\n") == std::string::npos)
        return Status::fail(StatusCode::invalid, "summary: say what changed and why (staff see it with the change)");
    if (summary.size() > 1000) return Status::fail(StatusCode::invalid, "summary: keep it short (at most 1000 bytes)");
    if (!is_valid_utf8(summary)) return Status::fail(StatusCode::invalid, "summary: not valid UTF-8 text");
    return Status::ok();
}

}  // namespace

Result<WorkflowSettings> workflow_settings(Database& db) {
    auto stmt = db.prepare("SELECT value FROM settings WHERE key = 'self_approval'");
    if (!stmt) return stmt.status();
    WorkflowSettings s;
    if (stmt->step()) s.self_approval = stmt->column_text(0) == "1";
    if (!stmt->status()) return stmt->status();
    return s;
}

Status set_workflow_settings(Database& db, const WorkflowSettings& s) {
    auto stmt = db.prepare("INSERT INTO settings(key, value) VALUES ('self_approval', ?1) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.status();
    return stmt->bind(1, std::string_view(s.self_approval ? "1" : "0")).run();
}

Result<Draft> create_draft(Database& db, const Acting& who, const Article& content, int base_version, const std::string& client_id) {
    if (Status st = check_draft_content(content); !st) return st;
    if (client_id.size() > 64) return Status::fail(StatusCode::invalid, "client_id: at most 64 bytes");
    if (Status st = decide(may(who.user.actor(), DraftAction::create, DraftState::draft, true, content.category, {})); !st)
        return st;
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    if (!client_id.empty()) {
        // The same draft sent again by a device (its outbox retried): the one already made.
        auto again = db.prepare(std::string(kDraftSelect) + "WHERE d.author_id = ?1 AND d.client_id = ?2");
        if (!again) return again.status();
        again->bind(1, who.user.id).bind(2, client_id);
        if (again->step()) {
            auto d = read_draft(*again);
            if (Status st = tx.commit(); !st) return st;
            return d;
        }
        if (!again->status()) return again->status();
    }
    auto live = newest(db, content.slug);
    if (!live) return live.status();
    if (base_version == 0 && live->has_value())
        return Status::fail(StatusCode::conflict, "slug: there is already a policy '" + content.slug + "': edit it instead");
    if (base_version > 0 && (!live->has_value() || (*live)->version != base_version))
        return Status::fail(StatusCode::conflict, "the live version of '" + content.slug + "' is " +
                                                      (live->has_value() ? std::to_string((*live)->version) : std::string("gone")) +
                                                      ", not " + std::to_string(base_version) + ": start from the live version");
    auto id = insert_draft(db, who, DraftKind::edit, content, base_version, 0, DraftState::draft, "", client_id);
    if (!id) return id.status();
    auto draft = reload(db, *id);
    if (!draft) return draft;
    if (Status st = tx.commit(); !st) return st;
    return draft;
}

Result<Draft> save_draft(Database& db, const Acting& who, int64_t id, int revision, const Article& content, int merged_with) {
    if (Status st = check_draft_content(content); !st) return st;
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto draft = reload(db, id);
    if (!draft) return draft;
    const bool mine = draft->author_id == who.user.id;
    if (Status st = decide(may(who.user.actor(), DraftAction::save, draft->state, mine, draft->content.category, {})); !st) return st;
    if (Status st = decide(may(who.user.actor(), DraftAction::save, draft->state, mine, content.category, {})); !st) return st;
    if (draft->kind != DraftKind::edit) return Status::fail(StatusCode::conflict, "an archive or revert request has no text to edit");
    if (revision != draft->revision)
        return Status::fail(StatusCode::conflict, "this draft was saved elsewhere meanwhile (revision " + std::to_string(draft->revision) +
                                                      ", your edits started from " + std::to_string(revision) + "): reload it first");
    if (draft->base_version > 0 && content.slug != draft->content.slug)
        return Status::fail(StatusCode::invalid, "slug: a published policy keeps its slug (links point to it)");
    int base_version = draft->base_version;
    if (merged_with != 0 && merged_with != base_version) {
        if (base_version == 0 || merged_with < base_version)
            return Status::fail(StatusCode::invalid, "base_version: this draft started from version " + std::to_string(base_version) +
                                                         "; it can only be merged with a newer one");
        auto live = newest(db, content.slug);
        if (!live) return live.status();
        const int live_version = live->has_value() ? (*live)->version : 0;
        if (merged_with != live_version)
            return Status::fail(StatusCode::conflict, "'" + content.slug + "' is at version " + std::to_string(live_version) +
                                                          " now, not " + std::to_string(merged_with) + ": merge that one too");
        base_version = merged_with;
    }
    auto upd = db.prepare(
        "UPDATE drafts SET slug = ?2, title = ?3, category = ?4, tags_json = ?5, owner = ?6, effective = ?7, review_by = ?8, "
        "body = ?9, base_version = ?10, revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1");
    if (!upd) return upd.status();
    upd->bind(1, id).bind(2, content.slug).bind(3, content.title).bind(4, content.category).bind(5, tags_to_json(content.tags));
    upd->bind(6, content.owner).bind(7, content.effective).bind(8, content.review_by).bind(9, content.body).bind(10, base_version);
    if (Status st = upd->run(); !st) return st;
    auto saved = reload(db, id);
    if (!saved) return saved;
    if (Status st = tx.commit(); !st) return st;
    return saved;
}

Result<Draft> submit_draft(Database& db, const Acting& who, int64_t id, const std::string& summary, bool must_acknowledge) {
    if (Status st = check_summary(summary); !st) return st;
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto draft = reload(db, id);
    if (!draft) return draft;
    const bool mine = draft->author_id == who.user.id;
    if (Status st = decide(may(who.user.actor(), DraftAction::submit, draft->state, mine, draft->content.category, {})); !st)
        return st;
    if (Status st = check_publishable(draft->content); !st) return st;
    auto upd = db.prepare("UPDATE drafts SET state = 'in_review', summary = ?2, must_ack = ?3, review_comment = '', "
                          "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1");
    if (!upd) return upd.status();
    if (Status st = upd->bind(1, id).bind(2, summary).bind(3, must_acknowledge ? 1 : 0).run(); !st) return st;
    if (Status st = write_audit(db, who, "submit", draft->content.slug + " (draft " + std::to_string(id) + ")", summary); !st)
        return st;
    auto submitted = reload(db, id);
    if (!submitted) return submitted;
    if (Status st = tx.commit(); !st) return st;
    return submitted;
}

Result<Draft> return_draft(Database& db, const Acting& who, int64_t id, const std::string& comment) {
    if (comment.size() > kMaxReviewCommentBytes || !is_valid_utf8(comment))
        return Status::fail(StatusCode::invalid, "comment: at most " + std::to_string(kMaxReviewCommentBytes) + " bytes of text");
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto draft = reload(db, id);
    if (!draft) return draft;
    const bool mine = draft->author_id == who.user.id;
    if (Status st = decide(may(who.user.actor(), DraftAction::return_for_changes, draft->state, mine, draft->content.category, {}));
        !st)
        return st;
    if (!mine && comment.find_first_not_of(" \t\r\n") == std::string::npos)
        return Status::fail(StatusCode::invalid, "comment: tell the author what to change");
    // An archive or revert request has nothing to edit: returning it ends it.
    const DraftState next = draft->kind == DraftKind::edit ? DraftState::returned : DraftState::discarded;
    auto upd = db.prepare("UPDATE drafts SET state = ?2, review_comment = ?3, reviewer_id = ?4, "
                          "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1");
    if (!upd) return upd.status();
    if (Status st = upd->bind(1, id).bind(2, std::string_view(draft_state_name(next))).bind(3, comment).bind(4, who.user.id).run(); !st)
        return st;
    if (Status st = write_audit(db, who, "return", draft->content.slug + " (draft " + std::to_string(id) + ")", comment); !st)
        return st;
    auto returned = reload(db, id);
    if (!returned) return returned;
    if (Status st = tx.commit(); !st) return st;
    return returned;
}

Status discard_draft(Database& db, const Acting& who, int64_t id) {
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto draft = reload(db, id);
    if (!draft) return draft.status();
    const bool mine = draft->author_id == who.user.id;
    if (Status st = decide(may(who.user.actor(), DraftAction::discard, draft->state, mine, draft->content.category, {})); !st)
        return st;
    if (Status st = update_state(db, id, DraftState::discarded); !st) return st;
    if (Status st = write_audit(db, who, "discard", draft->content.slug + " (draft " + std::to_string(id) + ")", ""); !st) return st;
    return tx.commit();
}

Result<SaveResult> publish_draft(Database& db, const Acting& who, int64_t id, const PublishOptions& options, PublishConflict* conflict) {
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto settings = workflow_settings(db);
    if (!settings) return settings.status();
    auto draft = reload(db, id);
    if (!draft) return draft.status();
    const bool mine = draft->author_id == who.user.id;
    if (Status st = decide(may(who.user.actor(), DraftAction::publish, draft->state, mine, draft->content.category, *settings)); !st)
        return st;
    Article content = draft->content;
    if (!options.effective.empty()) content.effective = options.effective;
    if (!is_valid_date(content.effective)) return Status::fail(StatusCode::invalid, "effective: not a date in the form YYYY-MM-DD");
    if (!options.today.empty() && content.effective < options.today && draft->kind != DraftKind::archive)
        return Status::fail(StatusCode::invalid, "effective: a change comes into force today (" + options.today +
                                                     ") or later, not on " + content.effective);
    if (Status st = check_publishable(content); !st) return st;

    auto live = newest(db, content.slug);
    if (!live) return live.status();
    const int live_version = live->has_value() ? (*live)->version : 0;
    if (live_version != draft->base_version) {
        if (conflict) *conflict = PublishConflict{*draft, *live};
        return Status::fail(StatusCode::conflict, "'" + content.slug + "' changed while this draft was written: the live version is " +
                                                      std::to_string(live_version) + ", the draft started from " +
                                                      std::to_string(draft->base_version) + ". Merge the two, then submit again");
    }
    const bool must_ack = options.must_acknowledge.value_or(draft->must_acknowledge);
    if (!options.acknowledge_by.empty() && !is_valid_date(options.acknowledge_by))
        return Status::fail(StatusCode::invalid, "acknowledge_by: not a date in the form YYYY-MM-DD");
    if (!options.acknowledge_by.empty() && options.acknowledge_by < content.effective)
        return Status::fail(StatusCode::invalid, "acknowledge_by: due before the change comes into force (" + content.effective + ")");
    auto saved = save_article(db, content, VersionNote(draft->author, draft->summary, who.user.name, must_ack,
                                                       must_ack ? options.acknowledge_by : std::string()));
    if (!saved) return saved.status();
    if (saved->outcome == SaveOutcome::unchanged)
        return Status::fail(StatusCode::conflict, "nothing to publish: the draft is the same as the live version");
    auto upd = db.prepare("UPDATE drafts SET state = 'published', published_version = ?2, reviewer_id = ?3, effective = ?4, "
                          "must_ack = ?5, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1");
    if (!upd) return upd.status();
    if (Status st = upd->bind(1, id).bind(2, saved->version).bind(3, who.user.id).bind(4, content.effective).bind(5, must_ack ? 1 : 0).run();
        !st)
        return st;
    const std::string detail = std::string(draft_kind_name(draft->kind)) + ", version " + std::to_string(saved->version) +
                               ", effective " + content.effective + (must_ack ? ", must acknowledge" : "") + ", by " + draft->author;
    if (Status st = write_audit(db, who, "publish", content.slug, detail); !st) return st;
    if (Status st = tx.commit(); !st) return st;
    return saved;
}

Result<Draft> request_archive(Database& db, const Acting& who, const std::string& slug, const std::string& summary) {
    if (Status st = check_summary(summary); !st) return st;
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto live = newest(db, slug);
    if (!live) return live.status();
    if (!live->has_value()) return Status::fail(StatusCode::not_found, "there is no policy '" + slug + "'");
    Article content = (*live)->article;
    content.slug = slug;
    if (Status st = decide(may(who.user.actor(), DraftAction::create, DraftState::draft, true, content.category, {})); !st) return st;
    if (content.status == "archived") return Status::fail(StatusCode::conflict, "'" + slug + "' is archived already");
    content.status = "archived";
    auto id = insert_draft(db, who, DraftKind::archive, content, (*live)->version, 0, DraftState::in_review, summary, "");
    if (!id) return id.status();
    if (Status st = write_audit(db, who, "archive_request", slug, summary); !st) return st;
    auto draft = reload(db, *id);
    if (!draft) return draft;
    if (Status st = tx.commit(); !st) return st;
    return draft;
}

Result<Draft> request_revert(Database& db, const Acting& who, const std::string& slug, int version, const std::string& summary) {
    if (Status st = check_summary(summary); !st) return st;
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto live = newest(db, slug);
    if (!live) return live.status();
    if (!live->has_value()) return Status::fail(StatusCode::not_found, "there is no policy '" + slug + "'");
    if (Status st = decide(may(who.user.actor(), DraftAction::create, DraftState::draft, true, (*live)->article.category, {})); !st)
        return st;
    auto old = article_version(db, slug, version);
    if (!old) return old.status();
    if (!old->has_value()) return Status::fail(StatusCode::not_found, "'" + slug + "' has no version " + std::to_string(version));
    if (version == (*live)->version) return Status::fail(StatusCode::conflict, "version " + std::to_string(version) + " is the live one");
    Article content = (*old)->article;
    content.slug = slug;
    content.status = "published";
    if (Status st = decide(may(who.user.actor(), DraftAction::create, DraftState::draft, true, content.category, {})); !st) return st;
    auto id = insert_draft(db, who, DraftKind::revert, content, (*live)->version, version, DraftState::in_review, summary, "");
    if (!id) return id.status();
    if (Status st = write_audit(db, who, "revert_request", slug, "to version " + std::to_string(version) + ": " + summary); !st)
        return st;
    auto draft = reload(db, *id);
    if (!draft) return draft;
    if (Status st = tx.commit(); !st) return st;
    return draft;
}

Result<Draft> get_draft(Database& db, const Acting& who, int64_t id) {
    auto draft = reload(db, id);
    if (!draft) return draft;
    const bool mine = draft->author_id == who.user.id;
    if (Status st = decide(may(who.user.actor(), DraftAction::view, draft->state, mine, draft->content.category, {})); !st) return st;
    return draft;
}

Result<std::vector<Draft>> list_drafts(Database& db, const Acting& who, const std::string& state) {
    if (!state.empty() && !parse_draft_state(state))
        return Status::fail(StatusCode::invalid, "state: one of draft, in_review, returned, published, discarded");
    auto stmt = db.prepare(std::string(kDraftSelect) +
                           "WHERE (d.author_id = ?1 OR d.state = 'in_review') AND "
                           "(?2 = '' AND d.state IN ('draft', 'in_review', 'returned') OR d.state = ?2) "
                           "ORDER BY d.updated_at DESC, d.id DESC LIMIT 500");
    if (!stmt) return stmt.status();
    stmt->bind(1, who.user.id).bind(2, state);
    std::vector<Draft> out;
    while (stmt->step()) {
        auto d = read_draft(*stmt);
        if (!d) return d.status();
        const bool mine = d->author_id == who.user.id;
        if (may(who.user.actor(), DraftAction::view, d->state, mine, d->content.category, {}).allowed) out.push_back(std::move(*d));
    }
    if (!stmt->status()) return stmt->status();
    return out;
}

}  // namespace handbook
