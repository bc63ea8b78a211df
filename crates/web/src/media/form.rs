//! Reading an upload (a multipart form with `file`, `alt`, `caption`,
//! `credit`) and saying why one is refused, for the page and the API alike.

use crate::error::AppError;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::StatusCode;
use tribune_app::media::UploadError;
use tribune_media::Refusal;

/// Longest text field read; the use case has the real limits.
const MAX_TEXT_BYTES: usize = 4 * 1024;

#[derive(Debug, Default)]
pub struct UploadForm {
    pub file: Option<Vec<u8>>,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

pub async fn read(
    multipart: Result<Multipart, MultipartRejection>,
    max_file_bytes: usize,
) -> Result<UploadForm, AppError> {
    let mut multipart = multipart.map_err(|_| AppError::Upload {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        code: "not_multipart",
        message: "Send the image as multipart/form-data, in a part named file.".to_owned(),
    })?;
    let mut form = UploadForm::default();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "file" => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    // Stop reading as soon as it is too much, whatever the body limit allows.
                    if bytes.len() + chunk.len() > max_file_bytes {
                        return Err(refusal(Refusal::TooLarge { max_bytes: max_file_bytes }));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                // A browser sends an empty part when no file was chosen.
                if !bytes.is_empty() || field.file_name().is_some_and(|n| !n.is_empty()) {
                    form.file = Some(bytes);
                }
            }
            "alt" | "caption" | "credit" => {
                let text = field.text().await.map_err(multipart_error)?;
                if text.len() > MAX_TEXT_BYTES {
                    return Err(AppError::Upload {
                        status: StatusCode::PAYLOAD_TOO_LARGE,
                        code: "field_too_large",
                        message: format!("The {name} field is too long."),
                    });
                }
                match name.as_str() {
                    "alt" => form.alt = text,
                    "caption" => form.caption = text,
                    _ => form.credit = text,
                }
            }
            // Unknown parts (a submit button's name) are skipped, not refused.
            _ => {}
        }
    }
    Ok(form)
}

fn multipart_error(error: MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::Upload {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "image_too_large",
            message: "The file is larger than the site accepts.".to_owned(),
        }
    } else {
        AppError::BadRequest { code: "malformed_multipart", message: "The upload could not be read.".to_owned() }
    }
}

pub fn missing_file() -> AppError {
    AppError::Upload {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "missing_file",
        message: "Choose an image file to upload (JPEG, PNG, GIF or WebP).".to_owned(),
    }
}

pub fn refusal(refusal: Refusal) -> AppError {
    let message = match &refusal {
        Refusal::TooLarge { max_bytes } => format!("The file is larger than {} MB.", max_bytes.div_ceil(1024 * 1024)),
        Refusal::TooManyPixels { width, height, max_pixels } => {
            format!("The image is {width}×{height} pixels; at most {} megapixels are accepted.", max_pixels / 1_000_000)
        }
        Refusal::UnsupportedType => {
            "This file is not a JPEG, PNG, GIF or WebP image (whatever its name says).".to_owned()
        }
        Refusal::Unreadable => "The image cannot be read: it is damaged, or not the image it claims to be.".to_owned(),
        Refusal::Empty => "The file is empty.".to_owned(),
    };
    let (status, code) = match refusal {
        Refusal::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, Code { code: "image_too_large" }),
        Refusal::TooManyPixels { .. } => (StatusCode::UNPROCESSABLE_ENTITY, Code { code: "image_too_many_pixels" }),
        Refusal::UnsupportedType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, Code { code: "unsupported_image_type" }),
        Refusal::Unreadable => (StatusCode::UNPROCESSABLE_ENTITY, Code { code: "image_unreadable" }),
        Refusal::Empty => (StatusCode::UNPROCESSABLE_ENTITY, Code { code: "empty_file" }),
    };
    AppError::Upload { status, code: code.code, message }
}

/// A problem code, written `code: "…"` so that the documentation check finds it.
struct Code {
    code: &'static str,
}

impl From<UploadError> for AppError {
    fn from(error: UploadError) -> Self {
        match error {
            UploadError::Refused(why) => refusal(why),
            UploadError::Invalid(errors) => AppError::Validation(errors),
            UploadError::Storage(cause) => AppError::Internal(cause.to_string()),
            UploadError::Db(cause) => cause.into(),
        }
    }
}
