//! One YAML reading (docs/yaml.md): the YAML 1.2 core schema, read alike by this CLI, the npm
//! package and the Go loader, which tests/yaml/cases.json holds to the same JSON text or the same
//! error code and path. The parser (saphyr-parser) gives events with each scalar's text, style
//! and written tag; what a scalar becomes is decided here, by the core schema, not by a library's
//! own resolution (serde_yaml read `017` as a string and dropped the digits of big integers).

use regex_lite::Regex;
use relationship_evaluator::error::pointer_segment;
use relationship_evaluator::{Error, ErrorCode};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The values aliases may copy in one document, so a "billion laughs" text is refused instead of
/// expanded.
const ALIAS_VALUE_BUDGET: usize = 1_000_000;

/// The YAML 1.2 core schema's forms (<https://yaml.org/spec/1.2.2/#1023-core-schema>).
struct Forms {
    null: Regex,
    truth: Regex,
    falsehood: Regex,
    decimal: Regex,
    octal: Regex,
    hexadecimal: Regex,
    float: Regex,
    not_finite: Regex,
}

static FORMS: LazyLock<Forms> = LazyLock::new(|| {
    let form = |pattern: &str| Regex::new(pattern).expect("a valid pattern");
    Forms {
        null: form(r"^(?:null|Null|NULL|~|)$"),
        truth: form(r"^(?:true|True|TRUE)$"),
        falsehood: form(r"^(?:false|False|FALSE)$"),
        decimal: form(r"^[-+]?[0-9]+$"),
        octal: form(r"^0o[0-7]+$"),
        hexadecimal: form(r"^0x[0-9a-fA-F]+$"),
        float: form(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
        not_finite: form(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    }
});

const MERGE_KEY: &str = "merge keys (<<) are YAML 1.1, not part of the YAML 1.2 core schema this reader follows; \
                         write the merged mapping out, or quote the key to mean the text <<";

/// Reads one YAML document as the JSON value the engine reads, mapping order kept. The caller
/// has checked the raw nesting (`reading::check_raw_depth`); the nesting of the document itself,
/// aliases expanded, is checked here against `max_depth`.
pub fn read_yaml(text: &str, max_depth: usize) -> Result<Value, Error> {
    let mut events = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, _) = event.map_err(|e| Error::new(ErrorCode::InvalidJson, "", format!("not valid YAML: {e}")))?;
        events.push(event);
    }
    let documents = events.iter().filter(|event| matches!(event, Event::DocumentStart(_))).count();
    if documents > 1 {
        return Err(Error::new(ErrorCode::InvalidJson, "", "the text holds more than one YAML document"));
    }
    let Some(start) = events.iter().position(|event| matches!(event, Event::DocumentStart(_))) else {
        return Ok(Value::Null);
    };
    let mut reader = Reader { events, next: start + 1, max_depth, ..Reader::default() };
    Ok(reader.node(0)?.0)
}

/// How many values a node holds (itself included, aliases expanded) and how many levels of arrays
/// and objects it nests.
#[derive(Clone, Copy, Default)]
struct Shape {
    values: usize,
    height: usize,
}

impl Shape {
    /// A collection's shape with one more child.
    fn holding(self, child: Shape) -> Shape {
        Shape { values: self.values + child.values, height: self.height.max(child.height) }
    }
}

/// An anchored scalar as written, for the aliases that name it as a key or, for a key, as a value.
#[derive(Clone)]
struct Written {
    text: String,
    plain: bool,
    tag: Option<String>,
}

#[derive(Default)]
struct Reader<'input> {
    events: Vec<Event<'input>>,
    next: usize,
    max_depth: usize,
    path: Vec<String>,
    copied: usize,
    /// Anchors of the collections being read: an alias to one of them is a cycle.
    open: HashSet<usize>,
    /// What each anchored node became.
    done: HashMap<usize, (Value, Shape)>,
    scalars: HashMap<usize, Written>,
}

impl<'input> Reader<'input> {
    fn take(&mut self) -> Event<'input> {
        let event = std::mem::replace(&mut self.events[self.next], Event::Nothing);
        self.next += 1;
        event
    }

    /// The JSON pointer of the node being read.
    fn pointer(&self) -> String {
        self.path.iter().map(|segment| format!("/{}", pointer_segment(segment))).collect()
    }

    fn error(&self, code: ErrorCode, message: impl Into<String>) -> Error {
        Error::new(code, self.pointer(), message)
    }

    fn too_deep(&self, how: &str) -> Error {
        let message = format!("maxDepth: the input nests deeper than the limit of {} levels{how}", self.max_depth);
        Error::new(ErrorCode::LimitExceeded, "", message)
    }

    /// Reads the next node, found inside `level` arrays and objects.
    fn node(&mut self, level: usize) -> Result<(Value, Shape), Error> {
        let (anchor, read) = match self.take() {
            Event::Alias(anchor) => return self.alias(anchor, level),
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag_name(tag);
                let plain = style == ScalarStyle::Plain;
                let value = scalar(&text, tag.as_deref(), plain).map_err(|e| self.error(ErrorCode::InvalidType, e))?;
                if anchor != 0 {
                    self.scalars.insert(anchor, Written { text: text.into_owned(), plain, tag });
                }
                (anchor, (value, Shape { values: 1, height: 0 }))
            }
            Event::SequenceStart(anchor, tag) => (anchor, self.collection(anchor, tag, "seq", level)?),
            Event::MappingStart(anchor, tag) => (anchor, self.collection(anchor, tag, "map", level)?),
            other => return Err(self.error(ErrorCode::InvalidJson, format!("unexpected YAML event {other:?}"))),
        };
        if anchor != 0 {
            self.done.insert(anchor, read.clone());
        }
        Ok(read)
    }

    fn alias(&mut self, anchor: usize, level: usize) -> Result<(Value, Shape), Error> {
        if self.open.contains(&anchor) {
            return Err(self.error(ErrorCode::Cycle, "the alias is inside the node it names"));
        }
        let Some((value, shape)) = self.done.get(&anchor) else {
            // An anchored key: a scalar, read for the first time as a value here.
            let written = &self.scalars[&anchor];
            let value = scalar(&written.text, written.tag.as_deref(), written.plain)
                .map_err(|e| self.error(ErrorCode::InvalidType, e))?;
            return Ok((value, Shape { values: 1, height: 0 }));
        };
        if level + shape.height > self.max_depth {
            return Err(self.too_deep(" (through an alias)"));
        }
        self.copied += shape.values;
        if self.copied > ALIAS_VALUE_BUDGET {
            let message = format!("the aliases of the document copy more than {ALIAS_VALUE_BUDGET} values");
            return Err(Error::new(ErrorCode::LimitExceeded, "", message));
        }
        Ok((value.clone(), *shape))
    }

    fn collection(
        &mut self,
        anchor: usize,
        tag: Option<Cow<'input, Tag>>,
        kind: &str,
        level: usize,
    ) -> Result<(Value, Shape), Error> {
        if level + 1 > self.max_depth {
            return Err(self.too_deep(""));
        }
        if let Some(tag) = tag_name(tag).filter(|tag| tag != kind) {
            return Err(self.error(ErrorCode::InvalidType, unsupported_tag(&tag, "a collection")));
        }
        self.open.insert(anchor);
        let read = if kind == "seq" { self.sequence(level) } else { self.mapping(level) };
        self.open.remove(&anchor);
        read
    }

    fn sequence(&mut self, level: usize) -> Result<(Value, Shape), Error> {
        let mut items = Vec::new();
        let mut shape = Shape { values: 1, height: 0 };
        while !matches!(self.events[self.next], Event::SequenceEnd) {
            self.path.push(items.len().to_string());
            let (item, child) = self.node(level + 1)?;
            self.path.pop();
            items.push(item);
            shape = shape.holding(child);
        }
        self.next += 1;
        shape.height += 1;
        Ok((Value::Array(items), shape))
    }

    fn mapping(&mut self, level: usize) -> Result<(Value, Shape), Error> {
        let mut entries = Map::new();
        let mut shape = Shape { values: 1, height: 0 };
        while !matches!(self.events[self.next], Event::MappingEnd) {
            let key = self.key()?;
            self.path.push(key);
            if entries.contains_key(self.path.last().expect("just pushed")) {
                let message = format!("the key at {} appears twice in its mapping", self.pointer());
                return Err(self.error(ErrorCode::DuplicateKey, message));
            }
            let (value, child) = self.node(level + 1)?;
            entries.insert(self.path.pop().expect("pushed above"), value);
            shape = shape.holding(child);
        }
        self.next += 1;
        shape.height += 1;
        Ok((Value::Object(entries), shape))
    }

    /// A key's text: a scalar as written (after quotes and escapes), whatever it would resolve to as
    /// a value; an alias names its scalar. A collection has no text to be a key.
    fn key(&mut self) -> Result<String, Error> {
        let not_scalar = "a mapping key must be a scalar, not a collection";
        let (text, plain, tag) = match self.take() {
            Event::Scalar(text, style, anchor, tag) => {
                let written =
                    Written { text: text.into_owned(), plain: style == ScalarStyle::Plain, tag: tag_name(tag) };
                if anchor != 0 {
                    self.scalars.insert(anchor, written.clone());
                }
                (written.text, written.plain, written.tag)
            }
            Event::Alias(anchor) => match self.scalars.get(&anchor) {
                Some(written) => (written.text.clone(), written.plain, written.tag.clone()),
                None => return Err(self.error(ErrorCode::InvalidType, not_scalar)),
            },
            _ => return Err(self.error(ErrorCode::InvalidType, not_scalar)),
        };
        self.path.push(text.clone());
        let checked = match tag.as_deref() {
            None if plain && text == "<<" => Err(MERGE_KEY.to_owned()),
            None => Ok(()),
            Some(tag) => scalar(&text, Some(tag), plain).map(drop),
        };
        let checked = checked.map_err(|e| self.error(ErrorCode::InvalidType, e));
        self.path.pop();
        checked.map(|()| text)
    }
}

/// The tag written on a node: `str`, `int`… for the YAML tags (`tag:yaml.org,2002:`), any
/// other as written. The non-specific tag `!` counts as none, as yaml.v3 (the Go loader) reads it.
fn tag_name(tag: Option<Cow<'_, Tag>>) -> Option<String> {
    let tag = tag.filter(|tag| format!("{}{}", tag.handle, tag.suffix) != "!")?;
    let full = format!("{}{}", tag.handle, tag.suffix);
    Some(match full.strip_prefix("tag:yaml.org,2002:") {
        Some(core) => core.to_owned(),
        None if tag.handle == "!" => format!("!{}", tag.suffix),
        None => full,
    })
}

/// A scalar's JSON value: its tag decides when one is written, else a plain scalar is resolved by
/// the core schema and any other style is a string.
fn scalar(text: &str, tag: Option<&str>, plain: bool) -> Result<Value, String> {
    let forms = &*FORMS;
    let tag = match tag {
        Some(tag) => tag,
        None if !plain => "str",
        None if forms.null.is_match(text) => "null",
        None if forms.truth.is_match(text) || forms.falsehood.is_match(text) => "bool",
        None if [&forms.decimal, &forms.octal, &forms.hexadecimal].iter().any(|form| form.is_match(text)) => "int",
        None if forms.float.is_match(text) || forms.not_finite.is_match(text) => "float",
        None => "str",
    };
    let value = match tag {
        "str" => return Ok(Value::String(text.to_owned())),
        "null" => forms.null.is_match(text).then_some(Value::Null),
        "bool" if forms.truth.is_match(text) => Some(Value::Bool(true)),
        "bool" => forms.falsehood.is_match(text).then_some(Value::Bool(false)),
        "int" => integer(text)?,
        "float" => float(text)?,
        other => return Err(unsupported_tag(other, "a scalar")),
    };
    value.ok_or_else(|| format!("{text:?} is not a YAML 1.2 core-schema {tag}"))
}

/// An integer in decimal: every digit of a decimal one, however long (no sign for zero, no
/// leading zeros); an octal or hexadecimal one must fit 64 bits.
fn integer(text: &str) -> Result<Option<Value>, String> {
    let forms = &*FORMS;
    let digits = if forms.decimal.is_match(text) {
        let magnitude = text.trim_start_matches(['+', '-']).trim_start_matches('0');
        match magnitude {
            "" => "0".to_owned(),
            _ if text.starts_with('-') => format!("-{magnitude}"),
            _ => magnitude.to_owned(),
        }
    } else if forms.octal.is_match(text) || forms.hexadecimal.is_match(text) {
        let radix = if forms.octal.is_match(text) { 8 } else { 16 };
        u64::from_str_radix(&text[2..], radix)
            .map_err(|_| format!("{text} is past the 64 bits an octal or hexadecimal integer may have here"))?
            .to_string()
    } else {
        return Ok(None);
    };
    Ok(Some(Value::Number(Number::from_string_unchecked(digits))))
}

/// A float as the shortest text of the nearest double, as serde_json writes it; JSON has no
/// infinities or NaN, so they and the floats past a double's range are refused.
fn float(text: &str) -> Result<Option<Value>, String> {
    let forms = &*FORMS;
    if forms.not_finite.is_match(text) {
        return Err(format!("{text} is not a finite number, which JSON cannot carry"));
    }
    if !forms.float.is_match(text) {
        return Ok(None);
    }
    let value: f64 = text.parse().map_err(|e| format!("{text}: {e}"))?;
    Number::from_f64(value)
        .filter(|_| value.is_finite())
        .map(|number| Some(Value::Number(number)))
        .ok_or_else(|| format!("{text} is past the range of a double"))
}

fn unsupported_tag(tag: &str, what: &str) -> String {
    let tag = if tag.starts_with('!') { tag.to_owned() } else { format!("!!{tag}") };
    format!(
        "the tag {tag} on {what} is outside the YAML 1.2 core schema this reader follows \
         (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)"
    )
}
