//! Threads: where a reply goes, how a thread sorts, and how a flat, ordered
//! list of comments becomes a numbered tree (1, 1.1, 1.1.1, 2 …).

use crate::ids::CommentId;
use serde::Serialize;
use std::collections::HashMap;

/// WordPress's default for nested replies.
pub const MAX_DEPTH_DEFAULT: u32 = 5;

const SEGMENT_WIDTH: usize = 12;

/// A comment's place in its thread: its ancestors' ids and its own, each
/// zero-padded, joined by '/'. Sorting paths as bytes gives display order
/// (a parent, then its replies oldest-first, then the next sibling).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadPath(String);

impl ThreadPath {
    pub fn root(id: CommentId) -> Self {
        Self(format!("{:0width$}", id.0, width = SEGMENT_WIDTH))
    }

    pub fn child(parent: &str, id: CommentId) -> Self {
        Self(format!("{parent}/{:0width$}", id.0, width = SEGMENT_WIDTH))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ids along a stored path, root first.
    pub fn ids(path: &str) -> impl DoubleEndedIterator<Item = CommentId> + '_ {
        path.split('/').filter_map(|segment| segment.parse().ok().map(CommentId))
    }
}

/// What is known of the comment someone replies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyTarget {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    /// 1 for a top-level comment.
    pub depth: u32,
}

/// Reply chains are stored this deep at most (a path of about 830 bytes,
/// well inside what either database indexes); deeper replies are stored
/// beside their target.
pub const MAX_STORED_DEPTH: u32 = 64;

/// Where a reply is stored: under its target, so the thread always knows who
/// answers whom, however deep. [`build_thread`] shows replies below the
/// deepest level beside their target (as WordPress does) and names the
/// comment they answer. With threading off (`max_depth` 1) replies are stored
/// where they show, as top-level comments.
pub fn reply_parent(target: ReplyTarget, max_depth: u32) -> Option<CommentId> {
    if max_depth <= 1 || target.depth >= MAX_STORED_DEPTH {
        target.parent_id
    } else {
        Some(target.id)
    }
}

/// Something that has a place in a thread.
pub trait Threaded {
    fn id(&self) -> CommentId;
    fn path(&self) -> &str;
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadNode<T> {
    /// "1", "1.2", "1.2.1": the comment's place in the thread.
    pub number: String,
    /// The level it is shown at, 1 for top-level: never deeper than the thread allows.
    pub shown_depth: u32,
    /// The comment it answers, when that is shown on the page but is not the
    /// one it sits under (a reply below the deepest level, shown beside its target).
    pub in_reply_to: Option<CommentId>,
    #[serde(flatten)]
    pub comment: T,
    pub replies: Vec<ThreadNode<T>>,
}

/// Builds the numbered tree from comments listed parents-first, siblings in
/// display order. Top-level comments are numbered from `first_number`, moving
/// by `step` (1 when oldest come first, -1 when newest do). A reply whose
/// parent is missing (not published) hangs under its nearest shown ancestor;
/// one that would sit deeper than `max_depth` (at least 2: a reply never shows
/// as a top-level comment) is shown beside its target instead, among that
/// level's replies in the order they were written, so numbers already given
/// never change.
pub fn build_thread<T: Threaded>(items: Vec<T>, first_number: i64, step: i64, max_depth: u32) -> Vec<ThreadNode<T>> {
    struct Slot<T> {
        item: T,
        depth: u32,
        shown_under: Option<usize>,
        in_reply_to: Option<CommentId>,
        children: Vec<usize>,
    }
    let deepest = max_depth.max(2);
    let mut slots: Vec<Slot<T>> = Vec::with_capacity(items.len());
    let mut index_of: HashMap<CommentId, usize> = HashMap::with_capacity(items.len());
    let mut roots = Vec::new();
    for item in items {
        let own = item.id();
        let mut ancestors = ThreadPath::ids(item.path()).rev().filter(|id| *id != own);
        let parent = ancestors.next();
        let nearest = parent.into_iter().chain(ancestors).find_map(|id| index_of.get(&id).copied());
        let mut under = nearest;
        while let Some(above) = under.filter(|&above| slots[above].depth >= deepest) {
            under = slots[above].shown_under;
        }
        let index = slots.len();
        let depth = match under {
            Some(above) => {
                slots[above].children.push(index);
                slots[above].depth + 1
            }
            None => {
                roots.push(index);
                1
            }
        };
        let in_reply_to = parent.filter(|id| index_of.get(id).is_some_and(|&shown| Some(shown) != under));
        index_of.insert(own, index);
        slots.push(Slot { item, depth, shown_under: under, in_reply_to, children: Vec::new() });
    }

    // Replies moved up sit among their new siblings in the order they were written.
    let ids: Vec<CommentId> = slots.iter().map(|slot| slot.item.id()).collect();
    for slot in &mut slots {
        slot.children.sort_by_key(|&child| ids[child]);
    }
    // Move items out in tree order; each slot is taken exactly once.
    let mut taken: Vec<Option<Slot<T>>> = slots.into_iter().map(Some).collect();
    fn assemble<T>(taken: &mut [Option<Slot<T>>], index: usize, number: String) -> ThreadNode<T> {
        let slot = taken[index].take().expect("each comment appears once in its thread");
        let replies = slot
            .children
            .iter()
            .enumerate()
            .map(|(n, &child)| assemble(taken, child, format!("{number}.{}", n + 1)))
            .collect();
        ThreadNode { number, shown_depth: slot.depth, in_reply_to: slot.in_reply_to, comment: slot.item, replies }
    }
    roots
        .iter()
        .enumerate()
        .map(|(n, &root)| assemble(&mut taken, root, (first_number + step * n as i64).to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone)]
    struct Item(CommentId, String);

    impl Threaded for Item {
        fn id(&self) -> CommentId {
            self.0
        }
        fn path(&self) -> &str {
            &self.1
        }
    }

    fn item(id: i64, parent: Option<&Item>) -> Item {
        let path = match parent {
            Some(p) => ThreadPath::child(&p.1, CommentId(id)),
            None => ThreadPath::root(CommentId(id)),
        };
        Item(CommentId(id), path.as_str().to_owned())
    }

    fn numbers<T>(nodes: &[ThreadNode<T>], out: &mut Vec<String>) {
        for node in nodes {
            out.push(node.number.clone());
            numbers(&node.replies, out);
        }
    }

    #[test]
    fn paths_sort_parents_before_replies_before_next_sibling() {
        let a = item(1, None);
        let a1 = item(3, Some(&a));
        let a1x = item(12, Some(&a1));
        let b = item(2, None);
        let mut paths = vec![b.1.clone(), a1x.1.clone(), a.1.clone(), a1.1.clone()];
        paths.sort();
        assert_eq!(paths, vec![a.1, a1.1, a1x.1, b.1]);
    }

    #[test]
    fn a_thread_is_numbered_by_place() {
        let a = item(1, None);
        let a1 = item(3, Some(&a));
        let a11 = item(4, Some(&a1));
        let a2 = item(5, Some(&a));
        let b = item(2, None);
        let tree = build_thread(vec![a, a1, a11, a2, b], 1, 1, 5);
        let mut seen = Vec::new();
        numbers(&tree, &mut seen);
        assert_eq!(seen, ["1", "1.1", "1.1.1", "1.2", "2"]);
        assert_eq!(tree[0].replies[0].replies[0].comment.0, CommentId(4));
    }

    #[test]
    fn newest_first_counts_down_from_the_total() {
        let tree = build_thread(vec![item(9, None), item(7, None)], 12, -1, 5);
        assert_eq!(tree[0].number, "12");
        assert_eq!(tree[1].number, "11");
    }

    #[test]
    fn a_reply_whose_parent_is_hidden_hangs_under_the_nearest_shown_ancestor() {
        let a = item(1, None);
        let hidden = item(2, Some(&a));
        let reply = item(3, Some(&hidden));
        let tree = build_thread(vec![a, reply], 1, 1, 5);
        assert_eq!(tree.len(), 1);
        assert_eq!(tree[0].replies[0].number, "1.1");
    }

    #[test]
    fn a_reply_is_stored_under_its_target_however_deep() {
        let deep = ReplyTarget { id: CommentId(9), parent_id: Some(CommentId(8)), depth: 5 };
        assert_eq!(reply_parent(deep, 5), Some(CommentId(9)));
        let deepest = ReplyTarget { depth: MAX_STORED_DEPTH, ..deep };
        assert_eq!(reply_parent(deepest, 5), Some(CommentId(8)), "past the stored limit, beside its target");
    }

    #[test]
    fn with_threading_off_every_reply_is_top_level() {
        let top = ReplyTarget { id: CommentId(1), parent_id: None, depth: 1 };
        assert_eq!(reply_parent(top, 1), None);
    }

    #[test]
    fn a_reply_below_the_deepest_level_is_shown_beside_its_target_naming_it() {
        // max depth 2: 1 > 2 (at the deepest level) > 3 and 4 answer 2, 5 answers 4.
        let top = item(1, None);
        let deepest = item(2, Some(&top));
        let later_sibling = item(6, Some(&top));
        let answer = item(3, Some(&deepest));
        let answer_to_answer = item(5, Some(&answer));
        let second_answer = item(4, Some(&deepest));
        // Path order, as the store lists them.
        let listed = vec![top, deepest, answer, answer_to_answer, second_answer, later_sibling];
        let tree = build_thread(listed, 1, 1, 2);
        let shown: Vec<(CommentId, &str, u32, Option<CommentId>)> = tree[0]
            .replies
            .iter()
            .map(|node| (node.comment.0, node.number.as_str(), node.shown_depth, node.in_reply_to))
            .collect();
        assert_eq!(
            shown,
            [
                (CommentId(2), "1.1", 2, None),
                (CommentId(3), "1.2", 2, Some(CommentId(2))),
                (CommentId(4), "1.3", 2, Some(CommentId(2))),
                (CommentId(5), "1.4", 2, Some(CommentId(3))),
                (CommentId(6), "1.5", 2, None),
            ],
            "beside their target, in the order written, each naming whom it answers"
        );
        assert!(tree[0].replies.iter().all(|node| node.replies.is_empty()));
    }

    #[test]
    fn threading_off_still_shows_old_replies_under_their_top_level_comment() {
        let top = item(1, None);
        let reply = item(2, Some(&top));
        let deeper = item(3, Some(&reply));
        let tree = build_thread(vec![top, reply, deeper], 1, 1, 1);
        assert_eq!(tree.len(), 1);
        assert_eq!(tree[0].replies.len(), 2);
        assert_eq!(tree[0].replies[1].in_reply_to, Some(CommentId(2)));
    }

    #[test]
    fn a_reply_whose_target_is_hidden_names_nobody() {
        let top = item(1, None);
        let a = item(2, Some(&top));
        let hidden = item(3, Some(&a));
        let reply = item(4, Some(&hidden));
        let tree = build_thread(vec![top, a, reply], 1, 1, 5);
        assert_eq!(tree[0].replies[0].replies[0].comment.0, CommentId(4));
        assert_eq!(tree[0].replies[0].replies[0].in_reply_to, None);
    }
}
