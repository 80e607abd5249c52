//! The XML of one package part, read as a flat stream of events: the walkers above
//! keep their own explicit stacks, so a document nested 100,000 deep costs memory in
//! proportion to its size and never the call stack.
//!
//! A part with a DOCTYPE is refused outright: Word never writes one, and a DOCTYPE is
//! how an entity bomb declares its entities. Only the five predefined entities and
//! character references are expanded.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::intake::IntakeError;

/// One event of a part.
pub(super) enum Ev<'a> {
    /// An element opens; `true` when it is also closed at once (`<w:tab/>`).
    Start(BytesStart<'a>, bool),
    /// An element closes, by its qualified name (`w:p`).
    End(Vec<u8>),
    /// Character data, entities already expanded.
    Text(Cow<'a, str>),
}

/// The events of one part, in document order.
pub(super) struct Events<'a> {
    reader: Reader<&'a [u8]>,
    what: &'a str,
}

impl<'a> Events<'a> {
    /// The events of `bytes`, the part named `what` in error messages.
    pub(super) fn new(bytes: &'a [u8], what: &'a str) -> Self {
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Events { reader, what }
    }

    /// The next event, or `None` at the end of the part.
    pub(super) fn next(&mut self) -> Result<Option<Ev<'a>>, IntakeError> {
        loop {
            let event = self.reader.read_event().map_err(|e| self.error(e))?;
            return Ok(Some(match event {
                Event::Start(e) => Ev::Start(e, false),
                Event::Empty(e) => Ev::Start(e, true),
                Event::End(e) => Ev::End(e.name().as_ref().to_vec()),
                Event::Text(t) => Ev::Text(t.decode().map_err(|e| self.error(e))?),
                Event::CData(t) => Ev::Text(t.decode().map_err(|e| self.error(e))?),
                Event::GeneralRef(r) => Ev::Text(self.entity(&r)?),
                Event::DocType(_) => {
                    return Err(IntakeError::Malformed(format!(
                        "{} declares a DOCTYPE; Word never writes one, and entity \
                         declarations (an entity bomb) are refused",
                        self.what
                    )));
                }
                Event::Eof => return Ok(None),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            }));
        }
    }

    fn entity(
        &self,
        r: &quick_xml::events::BytesRef<'_>,
    ) -> Result<Cow<'a, str>, IntakeError> {
        if let Some(c) = r.resolve_char_ref().map_err(|e| self.error(e))? {
            return Ok(Cow::Owned(c.to_string()));
        }
        let name = r.decode().map_err(|e| self.error(e))?;
        match quick_xml::escape::resolve_predefined_entity(&name) {
            Some(s) => Ok(Cow::Borrowed(s)),
            None => Err(IntakeError::Malformed(format!(
                "{} refers to an undeclared entity &{name};",
                self.what
            ))),
        }
    }

    fn error(&self, e: impl std::fmt::Display) -> IntakeError {
        IntakeError::Malformed(format!(
            "{} is not well-formed XML (near byte {}): {e}",
            self.what,
            self.reader.buffer_position()
        ))
    }
}

/// The value of the attribute with qualified name `name` (`w:val`), entities
/// expanded; `None` when absent.
pub(super) fn attr(
    e: &BytesStart<'_>,
    name: &[u8],
) -> Result<Option<String>, IntakeError> {
    for a in e.attributes() {
        let a = a.map_err(|err| {
            IntakeError::Malformed(format!("a broken XML attribute: {err}"))
        })?;
        if a.key.as_ref() == name {
            let v = a.unescape_value().map_err(|err| {
                IntakeError::Malformed(format!("a broken XML attribute: {err}"))
            })?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// `w:val` read as a number; `None` when absent or not a number.
pub(super) fn val_u32(e: &BytesStart<'_>) -> Result<Option<u32>, IntakeError> {
    Ok(attr(e, b"w:val")?.and_then(|v| v.trim().parse().ok()))
}

/// Whether an on/off property (`<w:tblHeader/>`, `<w:b w:val="0"/>`) is on.
pub(super) fn on_off(e: &BytesStart<'_>) -> Result<bool, IntakeError> {
    Ok(!matches!(attr(e, b"w:val")?.as_deref(), Some("0" | "false" | "off")))
}
