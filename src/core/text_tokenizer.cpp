#include "text_tokenizer.h"

#include <sqlite3.h>

namespace handbook {

struct TextTokenizer::Impl {
    fts5_tokenizer api{};
    Fts5Tokenizer* tokenizer = nullptr;
};

Result<std::unique_ptr<TextTokenizer>> TextTokenizer::create(Database& db, bool stemming) {
    fts5_api* fts5 = db.fts5();
    if (!fts5) return Status::fail("this SQLite was built without FTS5");
    const char* name = stemming ? "porter" : "unicode61";
    void* user_data = nullptr;
    auto impl = std::make_unique<Impl>();
    if (fts5->xFindTokenizer(fts5, name, &user_data, &impl->api) != SQLITE_OK)
        return Status::fail(std::string("FTS5 tokenizer '") + name + "' is missing");
    const char* plain_args[] = {"remove_diacritics", "2"};
    const char* porter_args[] = {"unicode61", "remove_diacritics", "2"};
    const char** args = stemming ? porter_args : plain_args;
    int nargs = stemming ? 3 : 2;
    if (impl->api.xCreate(user_data, args, nargs, &impl->tokenizer) != SQLITE_OK)
        return Status::fail(std::string("cannot create FTS5 tokenizer '") + name + "'");
    auto out = std::unique_ptr<TextTokenizer>(new TextTokenizer());
    out->impl_ = std::move(impl);
    return out;
}

TextTokenizer::~TextTokenizer() {
    if (impl_ && impl_->tokenizer) impl_->api.xDelete(impl_->tokenizer);
}

static int collect_token(void* ctx, int, const char* token, int n, int start, int end) {
    static_cast<std::vector<Token>*>(ctx)->push_back(
        {std::string(token, static_cast<size_t>(n)), static_cast<size_t>(start), static_cast<size_t>(end)});
    return SQLITE_OK;
}

std::vector<Token> TextTokenizer::tokenize(std::string_view text) const {
    std::vector<Token> tokens;
    impl_->api.xTokenize(impl_->tokenizer, &tokens, FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()),
                         collect_token);
    return tokens;
}

std::string TextTokenizer::normalize(std::string_view word) const {
    auto tokens = tokenize(word);
    return tokens.empty() ? std::string() : tokens.front().text;
}

}  // namespace handbook
