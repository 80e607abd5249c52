//! A whole document's numbering: the texts of its paragraphs and headings in order →
//! which are numbered, what their markers are, and which should be headings at which
//! level. `check` compares that plan with the source; `fmt` applies it.
//!
//! Numbering stops at the attachment list (`附件：1.…`): the numbers there name
//! attachments and belong to no hierarchy.

use super::marker::{Marker, MarkerKind, recognize};
use super::outline::{Hierarchy, detect, heading_level};

/// One numbered paragraph or heading of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    /// Index of the block in the list given to [`plan`].
    pub block: usize,
    /// Its marker.
    pub marker: Marker,
    /// The ATX level (`##` = 2) the block should have as a heading; `None` when it is a
    /// run-in item that stays a paragraph.
    pub heading: Option<u8>,
}

/// The numbering plan of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The hierarchy the document follows.
    pub hierarchy: Hierarchy,
    /// Numbered blocks in order, up to the attachment list.
    pub numbered: Vec<Numbered>,
    /// Index of the block that opens the attachment list, if any.
    pub attachments_at: Option<usize>,
}

impl Plan {
    /// The markers in order, as [`super::validate::validate`] takes them.
    pub fn markers(&self) -> Vec<Marker> {
        self.numbered.iter().map(|n| n.marker.clone()).collect()
    }
}

/// Plans a document from its title and the plain texts of its blocks (paragraphs and
/// headings, without `#`), in order.
pub fn plan(title: &str, blocks: &[&str]) -> Plan {
    let markers: Vec<Option<Marker>> = blocks.iter().map(|t| recognize(t)).collect();
    plan_recognized(title, blocks, &markers)
}

/// [`plan`] for a caller that has already recognised each block's marker
/// (`markers[i]` is [`recognize`] of `blocks[i]`): the book assembles every marker
/// once and plans from those, so the plan and the markers the book records cannot
/// disagree.
pub fn plan_recognized(title: &str, blocks: &[&str], markers: &[Option<Marker>]) -> Plan {
    let attachments_at = blocks.iter().position(|t| super::starts_attachments(t));
    let body = attachments_at.unwrap_or(blocks.len()).min(markers.len());
    let found: Vec<(usize, &Marker)> = markers[..body]
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((i, m.as_ref()?)))
        .collect();
    let kinds: Vec<MarkerKind> = found.iter().map(|(_, m)| m.kind).collect();
    let hierarchy = detect(title, &kinds);
    let numbered = found
        .into_iter()
        .map(|(block, marker)| Numbered {
            block,
            heading: heading_level(blocks[block], marker, hierarchy),
            marker: marker.clone(),
        })
        .collect();
    Plan { hierarchy, numbered, attachments_at }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_headings_and_run_in_items_until_the_attachments() {
        let blocks = [
            "为贯彻……，制定本方案。",
            "一、主要目标",
            "（一）加强组织领导",
            "1.建立工作机制。各区负责落实。",
            "附件：1.常规目录新增药品",
            "2.新增谈判药品",
        ];
        let plan = plan("北京市进一步强化节能实施方案", &blocks);
        assert_eq!(plan.hierarchy, Hierarchy::Plan);
        assert_eq!(plan.attachments_at, Some(4));
        let got: Vec<(usize, Option<u8>)> =
            plan.numbered.iter().map(|n| (n.block, n.heading)).collect();
        assert_eq!(got, [(1, Some(2)), (2, Some(3)), (3, None)]);
    }

    #[test]
    fn regulations_have_chapter_headings_and_run_in_articles() {
        let blocks = [
            "第一章 总则",
            "第一条　为了加强单用途预付卡管理，制定本条例。",
            "（一）被列为失信被执行人的；",
        ];
        let plan = plan("北京市单用途预付卡管理条例", &blocks);
        assert_eq!(plan.hierarchy, Hierarchy::Regulation);
        let got: Vec<Option<u8>> = plan.numbered.iter().map(|n| n.heading).collect();
        assert_eq!(got, [Some(2), None, None]);
    }
}
