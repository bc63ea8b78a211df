//! Statements both backends run unchanged (`$1` placeholders work on both).

use tribune_store::DeletedComments;

/// What happens to a deleted account's comments; `$1` is the account id.
pub fn delete_account_comments(comments: DeletedComments) -> &'static str {
    match comments {
        DeletedComments::Anonymize => {
            "UPDATE comments SET author_name = '[deleted]', author_email = '', author_website = NULL, \
             user_id = NULL WHERE user_id = $1"
        }
        DeletedComments::Remove => {
            "UPDATE comments SET author_name = '[deleted]', author_email = '', author_website = NULL, \
             body_markdown = '', body_html = '', status = 'deleted', user_id = NULL WHERE user_id = $1"
        }
    }
}
