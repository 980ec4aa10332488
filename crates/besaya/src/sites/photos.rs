//! Uploaded photos and documents: what is accepted and how photos are stored.
//! A photo is decoded (JPEG, PNG or WebP only, with pixel limits against
//! decompression bombs), turned upright, and stored re-encoded as JPEG — which
//! also drops its metadata (a phone's GPS position, for one) — with a thumbnail.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Longest side of the stored photo, in pixels.
const DISPLAY: u32 = 1600;
/// Longest side of the thumbnail.
const THUMB: u32 = 480;
/// Largest image accepted, in pixels per side and in decoding memory.
const MAX_SIDE: u32 = 12_000;
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("not an image (JPEG, PNG or WebP)")]
    NotAnImage,
    #[error("the image cannot be read")]
    BrokenImage,
    #[error("the image is too large in pixels")]
    TooManyPixels,
    #[error("not a PDF document")]
    NotAPdf,
}

impl UploadError {
    /// The catalogue key of the message.
    pub fn key(self) -> &'static str {
        match self {
            Self::NotAnImage => "site-upload-not-image",
            Self::BrokenImage => "site-upload-broken-image",
            Self::TooManyPixels => "site-upload-too-many-pixels",
            Self::NotAPdf => "site-upload-not-pdf",
        }
    }
}

/// A photo ready to store.
#[derive(Debug, Clone)]
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Checks and converts an uploaded photo. CPU-bound: call it from a blocking task.
pub fn process_photo(bytes: &[u8]) -> Result<Photo, UploadError> {
    let format = image::guess_format(bytes).map_err(|_| UploadError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(UploadError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| classify(&e))?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| classify(&e))?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let display = if img.width() > DISPLAY || img.height() > DISPLAY {
        img.resize(DISPLAY, DISPLAY, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let thumb = display.thumbnail(THUMB, THUMB);
    Ok(Photo {
        jpeg: encode(&display)?,
        thumb: encode(&thumb)?,
        width: display.width(),
        height: display.height(),
    })
}

fn classify(e: &image::ImageError) -> UploadError {
    match e {
        image::ImageError::Limits(_) => UploadError::TooManyPixels,
        image::ImageError::Unsupported(_) => UploadError::NotAnImage,
        _ => UploadError::BrokenImage,
    }
}

fn encode(img: &DynamicImage) -> Result<Vec<u8>, UploadError> {
    let mut out = Vec::new();
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
    rgb.write_with_encoder(encoder)
        .map_err(|_| UploadError::BrokenImage)?;
    Ok(out)
}

/// Checks an uploaded document: PDF only, by its content rather than its name.
pub fn check_pdf(bytes: &[u8]) -> Result<(), UploadError> {
    let head = &bytes[..bytes.len().min(1024)];
    let starts = head.windows(5).any(|w| w == b"%PDF-");
    if starts {
        Ok(())
    } else {
        Err(UploadError::NotAPdf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn photos_are_resized_with_a_thumbnail() {
        let p = process_photo(&png(2400, 1200)).unwrap();
        assert_eq!((p.width, p.height), (1600, 800));
        assert_eq!(image::guess_format(&p.jpeg).unwrap(), ImageFormat::Jpeg);
        let t = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((t.width(), t.height()), (480, 240));
        let small = process_photo(&png(300, 200)).unwrap();
        assert_eq!((small.width, small.height), (300, 200));
    }

    #[test]
    fn only_images_pass_as_photos() {
        assert_eq!(
            process_photo(b"%PDF-1.7 hello").unwrap_err(),
            UploadError::NotAnImage
        );
        assert_eq!(
            process_photo(b"GIF89a....").unwrap_err(),
            UploadError::NotAnImage
        );
        let mut broken = png(50, 50);
        broken.truncate(60);
        assert_eq!(
            process_photo(&broken).unwrap_err(),
            UploadError::BrokenImage
        );
    }

    #[test]
    fn documents_must_be_pdf() {
        assert!(check_pdf(b"%PDF-1.4\n...").is_ok());
        assert_eq!(check_pdf(b"PK\x03\x04").unwrap_err(), UploadError::NotAPdf);
        assert_eq!(check_pdf(b"").unwrap_err(), UploadError::NotAPdf);
    }
}
