#include "search_index.h"

#include "article_store.h"
#include "plain_text.h"

namespace handbook {

static std::string join_tags(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& t : tags) {
        if (!out.empty()) out += ", ";
        out += t;
    }
    return out;
}

Status index_article(Database& db, int64_t id, const Article& article, int version) {
    for (const char* sql : {"DELETE FROM search_index WHERE rowid = ?1", "DELETE FROM search_words WHERE rowid = ?1"}) {
        auto del = db.prepare(sql);
        if (!del) return del.status();
        if (Status st = del->bind(1, id).run(); !st) return st;
    }
    const bool upcoming = article.status == "upcoming";
    if (article.status != "published" && !upcoming) return Status::ok();

    std::string body = markdown_to_plain_text(article.body);
    // The versions to come: newer than the one in force (an older one with a later date
    // was superseded); for an article not in force yet, all but the one its row shows.
    auto later = db.prepare("SELECT title, body FROM article_versions WHERE article_id = ?1 AND "
                            "CASE WHEN ?3 THEN version <> ?2 ELSE version > ?2 END ORDER BY version");
    if (!later) return later.status();
    later->bind(1, id).bind(2, static_cast<int64_t>(version)).bind(3, upcoming ? 1 : 0);
    while (later->step()) body += "\n\n" + later->column_text(0) + "\n\n" + markdown_to_plain_text(later->column_text(1));
    if (!later->status()) return later->status();
    std::string tags = join_tags(article.tags);
    auto ins = db.prepare("INSERT INTO search_index(rowid, title, tags, category, body) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!ins) return ins.status();
    if (Status st = ins->bind(1, id).bind(2, article.title).bind(3, tags).bind(4, article.category).bind(5, body).run(); !st)
        return st;
    auto words = db.prepare("INSERT INTO search_words(rowid, text) VALUES (?1, ?2)");
    if (!words) return words.status();
    std::string all = article.title + "\n" + tags + "\n" + article.category + "\n" + body;
    return words->bind(1, id).bind(2, all).run();
}

Status rebuild_search_index(Database& db) {
    if (Status st = db.exec("DELETE FROM search_index; DELETE FROM search_words;"); !st) return st;
    auto rows = db.prepare("SELECT id, title, category, tags_json, owner, status, body, version FROM articles");
    if (!rows) return rows.status();
    while (rows->step()) {
        Article a;
        int64_t id = rows->column_int(0);
        a.title = rows->column_text(1);
        a.category = rows->column_text(2);
        a.owner = rows->column_text(4);
        a.status = rows->column_text(5);
        a.body = rows->column_text(6);
        auto tags = tags_from_json(rows->column_text(3));
        if (!tags) return tags.status();
        a.tags = std::move(*tags);
        if (Status st = index_article(db, id, a, static_cast<int>(rows->column_int(7))); !st) return st;
    }
    if (!rows->status()) return rows->status();
    return optimize_search_index(db);
}

Status optimize_search_index(Database& db) {
    return db.exec("INSERT INTO search_index(search_index) VALUES('optimize');"
                   "INSERT INTO search_words(search_words) VALUES('optimize');");
}

}  // namespace handbook
