// The search index's tokenizer, "word_forms": the words' stems, as FTS5's
// 'porter unicode61 remove_diacritics 2' gives them, and at the same place the word's
// own form (folded, unstemmed) when it differs from its stem, marked so it never meets a
// stem: "debugging" is indexed as "debug" and "\x01debugging" at one position.
//
// Why: a stem matches every form of a word, which is what staff want ("refunds" finds
// "refund"), but it also scores them alike, so "debugging" in a query counted the title
// "CPAN::Debug" as much as a page that says "debugging" throughout. With the word's own
// form in the index, the search scores an inflected query word by both: its stem (any
// form) and its own form (search.cpp, RankingRules::own_form_share). The unstemmed
// form is indexed only where it differs from the stem, so the index grows by the
// inflected words only (bench/RESULTS.md has the sizes).
//
// In a query, a phrase that starts with the marker is that one term, taken as it is;
// any other phrase is stemmed as in the index. Snippets and highlights see the stems
// only (the own form is at the same place, so nothing is lost).
#pragma once
#include <string>
#include <string_view>

#include "database.h"
#include "result.h"

namespace handbook {

inline constexpr char kWordFormsTokenizer[] = "word_forms";
inline constexpr char kOwnFormMarker = '\x01';

// The index term of a word's own form: the marker and the folded word ("\x01debugging").
std::string own_form_term(std::string_view folded_word);

// Registers the tokenizer on this connection; every connection that may read or write
// search_index needs it (Database::open does it).
Status register_word_forms_tokenizer(Database& db);

}  // namespace handbook
