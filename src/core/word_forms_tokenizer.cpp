#include "word_forms_tokenizer.h"

#include <sqlite3.h>

#include <memory>
#include <vector>

namespace handbook {
namespace {

// One instance per table and connection (FTS5 never calls it from two threads at once).
// It runs SQLite's own tokenizers: unicode61 for the folded words, porter over unicode61
// for the stems, and pairs them by their byte ranges (porter gives one stem per word).
struct WordForms {
    fts5_tokenizer plain_api{};
    fts5_tokenizer porter_api{};
    Fts5Tokenizer* plain = nullptr;
    Fts5Tokenizer* porter = nullptr;
    // The folded words of the text being tokenized (reused): their bytes in `folded`.
    struct Word {
        size_t at = 0, size = 0;
        int start = 0, end = 0;
    };
    std::vector<Word> words;
    std::string folded;
    std::string term;  // the own-form term being emitted

    ~WordForms() {
        if (plain) plain_api.xDelete(plain);
        if (porter) porter_api.xDelete(porter);
    }
};

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

// The stems' pass: each stem as porter gives it, then the word's own form at the same
// place when it differs.
struct Emit {
    WordForms* forms;
    void* fts_context;
    TokenCallback token;
    size_t next = 0;  // the first word not yet paired
};

int collect_word(void* ctx, int, const char* token, int n, int start, int end) {
    auto* forms = static_cast<WordForms*>(ctx);
    forms->words.push_back({forms->folded.size(), static_cast<size_t>(n), start, end});
    forms->folded.append(token, static_cast<size_t>(n));
    return SQLITE_OK;
}

int emit_stem(void* ctx, int flags, const char* stem, int n, int start, int end) {
    auto* e = static_cast<Emit*>(ctx);
    if (int rc = e->token(e->fts_context, flags, stem, n, start, end); rc != SQLITE_OK) return rc;
    WordForms& forms = *e->forms;
    while (e->next < forms.words.size() && forms.words[e->next].start < start) ++e->next;
    if (e->next == forms.words.size()) return SQLITE_OK;
    const WordForms::Word& w = forms.words[e->next];
    if (w.start != start || w.end != end) return SQLITE_OK;
    ++e->next;
    const std::string_view own(forms.folded.data() + w.at, w.size);
    if (own == std::string_view(stem, static_cast<size_t>(n))) return SQLITE_OK;
    forms.term.assign(1, kOwnFormMarker);
    forms.term.append(own);
    return e->token(e->fts_context, FTS5_TOKEN_COLOCATED, forms.term.data(), static_cast<int>(forms.term.size()), start, end);
}

int create(void* user_data, const char** /*args*/, int /*nargs*/, Fts5Tokenizer** out) {
    auto* fts5 = static_cast<fts5_api*>(user_data);
    auto forms = std::make_unique<WordForms>();
    void* plain_data = nullptr;
    void* porter_data = nullptr;
    if (fts5->xFindTokenizer(fts5, "unicode61", &plain_data, &forms->plain_api) != SQLITE_OK ||
        fts5->xFindTokenizer(fts5, "porter", &porter_data, &forms->porter_api) != SQLITE_OK)
        return SQLITE_ERROR;
    const char* plain_args[] = {"remove_diacritics", "2"};
    const char* porter_args[] = {"unicode61", "remove_diacritics", "2"};
    if (int rc = forms->plain_api.xCreate(plain_data, plain_args, 2, &forms->plain); rc != SQLITE_OK) return rc;
    if (int rc = forms->porter_api.xCreate(porter_data, porter_args, 3, &forms->porter); rc != SQLITE_OK) return rc;
    *out = reinterpret_cast<Fts5Tokenizer*>(forms.release());
    return SQLITE_OK;
}

void destroy(Fts5Tokenizer* tokenizer) { delete reinterpret_cast<WordForms*>(tokenizer); }

int tokenize(Fts5Tokenizer* tokenizer, void* fts_context, int flags, const char* text, int size, TokenCallback token) {
    auto* forms = reinterpret_cast<WordForms*>(tokenizer);
    // A query's own-form phrase: one term, as the search engine wrote it.
    if ((flags & FTS5_TOKENIZE_QUERY) && size > 1 && text[0] == kOwnFormMarker) return token(fts_context, 0, text, size, 0, size);
    if (!(flags & FTS5_TOKENIZE_DOCUMENT))
        return forms->porter_api.xTokenize(forms->porter, fts_context, flags, text, size, token);
    forms->words.clear();
    forms->folded.clear();
    if (int rc = forms->plain_api.xTokenize(forms->plain, forms, flags, text, size, collect_word); rc != SQLITE_OK) return rc;
    Emit emit{forms, fts_context, token};
    return forms->porter_api.xTokenize(forms->porter, &emit, flags, text, size, emit_stem);
}

}  // namespace

std::string own_form_term(std::string_view folded_word) {
    std::string term(1, kOwnFormMarker);
    term.append(folded_word);
    return term;
}

Status register_word_forms_tokenizer(Database& db) {
    fts5_api* fts5 = db.fts5();
    if (!fts5) return Status::fail("this SQLite was built without FTS5");
    fts5_tokenizer methods{create, destroy, tokenize};
    if (fts5->xCreateTokenizer(fts5, kWordFormsTokenizer, fts5, &methods, nullptr) != SQLITE_OK)
        return Status::fail("cannot register the search index's tokenizer: " + std::string(sqlite3_errmsg(db.handle())));
    return Status::ok();
}

}  // namespace handbook
