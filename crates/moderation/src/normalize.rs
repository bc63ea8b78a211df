//! Folds a comment into the form that word lists and the scorer read, so
//! that the usual ways of hiding a word do not hide it: case, accents and
//! compatibility forms (`Ｆｕｌｌ`, `ﬁ`), look-alike Cyrillic and Greek letters
//! inside Latin words, zero-width and other invisible characters, simple
//! leetspeak (`1d10t`, `a$$`), letters spaced out (`f u c k`, `s.p.a.m`) and
//! repeated letters (`stuuupid`).
//!
//! The result is a sequence of units, one per run of one letter, each with
//! how often the letter repeated and where in the original text it came
//! from. Words are separated by exactly one space unit. Matching on the
//! run-collapsed skeleton and then checking the run lengths keeps `as`
//! from matching `ass` while `asssss` still does.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One run of a folded character: `ch` repeated `run` times, from byte
/// `start` to byte `end` (exclusive) of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub ch: char,
    pub run: u32,
    pub start: usize,
    pub end: usize,
    /// Part of a word that was spelt out letter by letter (`f u c k`): a
    /// word may start or end inside it ("a c r o o k" holds "crook").
    pub joined: bool,
}

/// A folded text; see the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    units: Vec<Unit>,
    /// The units' characters, one each: what a matcher runs over.
    skeleton: String,
    /// Byte offset in `skeleton` of each unit, and the skeleton's length last.
    offsets: Vec<usize>,
}

impl Normalized {
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Each run as one character, words separated by one space.
    pub fn skeleton(&self) -> &str {
        &self.skeleton
    }

    /// The unit that starts at byte `offset` of the skeleton.
    pub fn unit_at_byte(&self, offset: usize) -> Option<usize> {
        self.offsets.binary_search(&offset).ok().filter(|i| *i < self.units.len())
    }

    /// The folded text with every run cut to at most `cap` characters: what
    /// the scorer reads (`cap` 2 keeps "kill" apart from "kil").
    pub fn folded(&self, cap: u32) -> String {
        let mut out = String::with_capacity(self.skeleton.len());
        for unit in &self.units {
            let repeat = if unit.ch == ' ' { 1 } else { unit.run.min(cap.max(1)) };
            for _ in 0..repeat {
                out.push(unit.ch);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

/// Folds `text`; see the module documentation.
pub fn normalize(text: &str) -> Normalized {
    let Words { chars, tokens } = join_spaced_letters(tokenize(text));
    let mut out = Normalized {
        units: Vec::with_capacity(chars.len() + tokens.len()),
        skeleton: String::with_capacity(chars.len() + tokens.len()),
        offsets: Vec::with_capacity(chars.len() + tokens.len() + 1),
    };
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            let start = chars[tokens[i - 1].to - 1].end;
            let end = chars[token.from].start;
            out.push(' ', start, end, false);
        }
        for c in &chars[token.from..token.to] {
            out.push(c.ch, c.start, c.end, token.joined);
        }
    }
    out.offsets.push(out.skeleton.len());
    out
}

impl Normalized {
    fn push(&mut self, ch: char, start: usize, end: usize, joined: bool) {
        if let Some(last) = self.units.last_mut() {
            if last.ch == ch && ch != ' ' {
                last.run += 1;
                last.end = end;
                return;
            }
        }
        self.offsets.push(self.skeleton.len());
        self.skeleton.push(ch);
        self.units.push(Unit { ch, run: 1, start, end, joined });
    }
}

#[derive(Debug, Clone, Copy)]
struct Folded {
    ch: char,
    start: usize,
    end: usize,
}

/// One word: the characters `from..to` of [`Words::chars`].
#[derive(Debug, Clone, Copy)]
struct Token {
    from: usize,
    to: usize,
    /// Joined from letters spelt out one by one.
    joined: bool,
    /// The separator after this token, if it was one visible character
    /// (spaced-out letters are joined only across such separators).
    single_separator_after: bool,
}

/// The words of a text, their characters in one vector.
#[derive(Debug, Default)]
struct Words {
    chars: Vec<Folded>,
    tokens: Vec<Token>,
}

/// Splits the folded text into words; characters that are neither letters,
/// digits nor leetspeak symbols separate words.
fn tokenize(text: &str) -> Words {
    let mut reader = Reader {
        words: Words { chars: Vec::with_capacity(text.len()), tokens: Vec::new() },
        from: 0,
        separator_chars: 0,
    };
    for (start, raw) in text.char_indices() {
        let end = start + raw.len_utf8();
        // ASCII needs no decomposition: the common case skips NFKD.
        if raw.is_ascii() {
            reader.push(raw.to_ascii_lowercase(), start, end);
        } else if !is_invisible(raw) {
            for ch in fold_char(raw) {
                reader.push(ch, start, end);
            }
        }
    }
    let mut words = reader.finish();
    decode_tokens(&mut words);
    words
}

/// Reads folded characters into words.
struct Reader {
    words: Words,
    /// Where the word being read starts in `words.chars`.
    from: usize,
    separator_chars: usize,
}

impl Reader {
    fn push(&mut self, ch: char, start: usize, end: usize) {
        if ch.is_alphanumeric() || is_leet_symbol(ch) {
            if self.separator_chars > 0 {
                self.end_word(self.separator_chars == 1);
            }
            self.separator_chars = 0;
            self.words.chars.push(Folded { ch, start, end });
        } else {
            self.separator_chars += 1;
        }
    }

    fn end_word(&mut self, single_separator_after: bool) {
        let to = self.words.chars.len();
        if to > self.from {
            self.words.tokens.push(Token { from: self.from, to, joined: false, single_separator_after });
            self.from = to;
        }
    }

    fn finish(mut self) -> Words {
        self.end_word(false);
        self.words
    }
}

/// Lower case, compatibility forms and accents removed; may yield several
/// characters (`ﬁ` gives `f`, `i`) or none (a lone combining mark).
fn fold_char(raw: char) -> impl Iterator<Item = char> {
    std::iter::once(raw).nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).map(latin_look_alike)
}

/// Characters that print as nothing and are used to split words invisibly.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
            | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}'
    )
}

/// Symbols that stand for letters inside words (`a$$`, `sh!t`, `@sshole`).
fn is_leet_symbol(c: char) -> bool {
    matches!(c, '@' | '$' | '!' | '|' | '€' | '£')
}

/// Cyrillic and Greek letters that look like Latin ones, as spammers mix them in.
fn latin_look_alike(c: char) -> char {
    match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'е' | 'ε' => 'e',
        'һ' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'п' | 'η' => 'n',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'у' | 'γ' => 'y',
        'х' | 'χ' => 'x',
        'ν' => 'v',
        other => other,
    }
}

/// Reads digits and symbols as letters in a word that has letters: `1d10t`
/// is "idiot" but 2026 stays a number. `!` and `|` count only between word
/// characters, so "wow!" keeps its exclamation out of the word. Characters
/// that read as nothing are dropped, and so are words left empty.
fn decode_tokens(words: &mut Words) {
    let Words { chars, tokens } = words;
    let mut write = 0;
    for token in tokens.iter_mut() {
        let word = &chars[token.from..token.to];
        let has_letter = word.iter().any(|c| c.ch.is_alphabetic());
        // Whatever stands before this position is inside the word.
        let last_word_char = word.iter().rposition(|c| c.ch.is_alphanumeric());
        let from = write;
        for i in 0..word.len() {
            let c = chars[token.from + i];
            let inside = i > 0 && last_word_char.is_some_and(|last| last > i);
            let mapped = match c.ch {
                '@' | '4' if has_letter => Some('a'),
                '$' | '5' if has_letter => Some('s'),
                '€' | '3' if has_letter => Some('e'),
                '£' if has_letter => Some('l'),
                '0' if has_letter => Some('o'),
                '1' if has_letter => Some('i'),
                '7' if has_letter => Some('t'),
                '!' if has_letter && inside => Some('i'),
                '|' if has_letter && inside => Some('l'),
                '!' | '|' | '@' | '$' | '€' | '£' => None,
                other => Some(other),
            };
            if let Some(ch) = mapped {
                chars[write] = Folded { ch, ..c };
                write += 1;
            }
        }
        token.from = from;
        token.to = write;
    }
    chars.truncate(write);
    tokens.retain(|t| t.to > t.from);
}

/// Joins three or more one-letter words separated by single characters
/// (`f u c k`, `s.p.a.m`) into one word. A word's characters follow the
/// previous word's, so joining words joins their ranges.
fn join_spaced_letters(mut words: Words) -> Words {
    let is_letter = |t: &Token, chars: &[Folded]| t.to - t.from == 1 && chars[t.from].ch.is_alphabetic();
    let mut out: Vec<Token> = Vec::with_capacity(words.tokens.len());
    let mut run: Vec<Token> = Vec::new();
    let flush = |run: &mut Vec<Token>, out: &mut Vec<Token>| {
        if let (true, Some(first), Some(last)) = (run.len() >= 3, run.first(), run.last()) {
            let single_separator_after = last.single_separator_after;
            out.push(Token { from: first.from, to: last.to, joined: true, single_separator_after });
            run.clear();
        } else {
            out.append(run);
        }
    };
    for token in &words.tokens {
        let letter = is_letter(token, &words.chars);
        let continues = letter && run.last().is_none_or(|last| last.single_separator_after);
        if !continues {
            flush(&mut run, &mut out);
        }
        if letter {
            run.push(*token);
        } else {
            out.push(*token);
        }
    }
    flush(&mut run, &mut out);
    words.tokens = out;
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        normalize(text).folded(2)
    }

    #[test]
    fn case_accents_and_compatibility_forms_fold_away() {
        assert_eq!(folded("Crème BRÛLÉE"), "creme brulee");
        assert_eq!(folded("Ｆｕｌｌｗｉｄｔｈ ﬁne"), "fullwidth fine");
    }

    #[test]
    fn punctuation_becomes_one_space_between_words() {
        assert_eq!(folded("  Hello,   world!!  "), "hello world");
        assert_eq!(normalize("a -- b").skeleton(), "a b");
    }

    #[test]
    fn invisible_characters_do_not_split_words() {
        assert_eq!(folded("id\u{200B}i\u{00AD}ot"), "idiot");
        assert_eq!(folded("\u{FEFF}\u{200D}"), "");
    }

    #[test]
    fn leetspeak_is_read_as_letters_only_inside_words_with_letters() {
        assert_eq!(folded("1d10t"), "idiot");
        assert_eq!(folded("a$$hole"), "asshole");
        assert_eq!(folded("sh!t"), "shit");
        assert_eq!(folded("@ssh0le"), "asshole");
        assert_eq!(folded("It is 2026 now!"), "it is 2026 now");
        assert_eq!(folded("wow! |bar|"), "wow bar");
    }

    #[test]
    fn spaced_out_letters_are_joined() {
        assert_eq!(folded("you f u c k"), "you fuck");
        assert_eq!(folded("s.p.a.m here"), "spam here");
        assert_eq!(folded("a b"), "a b", "two letters are not a word in disguise");
        assert_eq!(folded("I am a b c"), "i am abc");
    }

    #[test]
    fn repeated_letters_are_runs() {
        let text = normalize("stuuuupid");
        assert_eq!(text.skeleton(), "stupid");
        assert_eq!(text.units()[2].run, 4);
        assert_eq!(text.folded(2), "stuupid");
        assert_eq!(text.folded(1), "stupid");
    }

    #[test]
    fn look_alike_letters_from_other_scripts_read_as_latin() {
        // Cyrillic а and о in a Latin word.
        assert_eq!(folded("f\u{0430}k\u{043E}"), "fako");
    }

    #[test]
    fn every_unit_points_back_at_its_original_text() {
        let original = "Go  Ïdïot!";
        let text = normalize(original);
        let word: Vec<&Unit> = text.units().iter().skip(3).collect();
        let (start, end) = (word.first().unwrap().start, word.last().unwrap().end);
        assert_eq!(&original[start..end], "Ïdïot");
        assert_eq!(text.unit_at_byte(3), Some(3));
    }

    #[test]
    fn empty_and_symbol_only_texts_fold_to_nothing() {
        assert!(normalize("").is_empty());
        assert!(normalize("!!! ??? ...").is_empty());
        assert_eq!(folded("🙂🙂"), "");
    }
}
