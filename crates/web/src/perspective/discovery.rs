//! The discovery document of the two methods, so that Google's own client
//! libraries (google-api-python-client's `build(..., discoveryServiceUrl=…)`)
//! call Tribune as they called Perspective.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Where the client sends its calls: this host as the request reached it,
/// with the scheme of the site's public address.
fn root_url(state: &AppState, headers: &HeaderMap) -> String {
    let public = state.config.public_url.trim_end_matches('/');
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).filter(|h| {
        // Only a plain host[:port]: the value ends up in the client's URLs.
        !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    });
    match host {
        Some(host) => {
            let scheme = if public.starts_with("https://") { "https" } else { "http" };
            format!("{scheme}://{host}/")
        }
        None => format!("{public}/"),
    }
}

fn method(name: &str, request: &str, response: &str, description: &str) -> Value {
    json!({
        "id": format!("commentanalyzer.comments.{name}"),
        "path": format!("v1alpha1/comments:{name}"),
        "flatPath": format!("v1alpha1/comments:{name}"),
        "httpMethod": "POST",
        "parameters": {},
        "parameterOrder": [],
        "request": {"$ref": request},
        "response": {"$ref": response},
        "description": description,
    })
}

fn object(id: &str, properties: Value) -> Value {
    json!({"id": id, "type": "object", "properties": properties})
}

pub async fn document(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let root = root_url(&state, &headers);
    let any_object = json!({"type": "object", "additionalProperties": {"type": "any"}});
    let text_entry = json!({"$ref": "TextEntry"});
    Json(json!({
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "commentanalyzer:v1alpha1",
        "name": "commentanalyzer",
        "version": "v1alpha1",
        "title": "Tribune's Perspective-compatible comment analyzer",
        "description": "Scores comments on this server with Tribune's on-device model.",
        "protocol": "rest",
        "rootUrl": root,
        "servicePath": "",
        "baseUrl": root,
        "batchPath": "batch",
        "parameters": {
            "key": {"type": "string", "location": "query", "description": "An API key made by the site's admin."},
            "alt": {"type": "string", "location": "query", "default": "json", "enum": ["json"]},
        },
        "schemas": {
            "TextEntry": object("TextEntry", json!({"text": {"type": "string"}, "type": {"type": "string"}})),
            "AnalyzeCommentRequest": object("AnalyzeCommentRequest", json!({
                "comment": text_entry,
                "requestedAttributes": any_object,
                "languages": {"type": "array", "items": {"type": "string"}},
                "doNotStore": {"type": "boolean"},
                "clientToken": {"type": "string"},
                "spanAnnotations": {"type": "boolean"},
            })),
            "AnalyzeCommentResponse": object("AnalyzeCommentResponse", json!({
                "attributeScores": any_object,
                "languages": {"type": "array", "items": {"type": "string"}},
                "detectedLanguages": {"type": "array", "items": {"type": "string"}},
                "clientToken": {"type": "string"},
            })),
            "SuggestCommentScoreRequest": object("SuggestCommentScoreRequest", json!({
                "comment": text_entry,
                "attributeScores": any_object,
                "doNotStore": {"type": "boolean"},
                "clientToken": {"type": "string"},
            })),
            "SuggestCommentScoreResponse": object("SuggestCommentScoreResponse", json!({
                "clientToken": {"type": "string"},
            })),
        },
        "resources": {"comments": {"methods": {
            "analyze": method("analyze", "AnalyzeCommentRequest", "AnalyzeCommentResponse",
                "Scores a comment for the requested attributes."),
            "suggestscore": method("suggestscore", "SuggestCommentScoreRequest", "SuggestCommentScoreResponse",
                "Keeps a suggested score as a labelled example for retraining."),
        }}},
    }))
    .into_response()
}
