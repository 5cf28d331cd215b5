//! An official letter laid out on A4 and written as PDF. krilla writes the PDF and shapes
//! each run (rustybuzz places Thai vowels and tone marks above and below their consonant);
//! ICU's line segmenter finds where Thai may break, since Thai puts no spaces between words;
//! lines are filled greedily to the measure. The font is Sarabun (OFL), the face the web
//! pages use, its Thai and Latin subsets merged into one file per weight.

use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use std::sync::Arc;

static REGULAR: &[u8] = include_bytes!("sarabun-regular.ttf");
static BOLD: &[u8] = include_bytes!("sarabun-bold.ttf");

/// A4 in points, and the margins of a Thai government letter (about 3 cm left, 2 cm right).
const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 85.0;
const RIGHT: f32 = 57.0;
const TOP: f32 = 60.0;
const BOTTOM: f32 = 60.0;

/// One block of a letter, top to bottom.
#[derive(Clone, Debug)]
pub enum Block {
    /// Bold, centred: the office's name on the letterhead, or the letter's title.
    Heading(String, f32),
    /// A line set against the right margin (the office's address, the date).
    Right(String),
    /// A line that does not wrap, left.
    Line(String),
    /// Label and text (เรื่อง, เรียน, a fact of the case): the text wraps beside the label.
    Labelled(String, String),
    /// Running text, first line indented as Thai letters are.
    Paragraph(String),
    /// Vertical space, in points.
    Space(f32),
}

struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Self {
        Self {
            font: Font::new(Arc::new(bytes.to_vec()).into(), 0).expect("the embedded font parses"),
            shaper: rustybuzz::Face::from_slice(bytes, 0).expect("the embedded font parses"),
        }
    }

    /// The width of `text` at `size`, as the shaper lays it out.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.shaper.units_per_em() as f32
    }
}

fn thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// Runs of one script (Thai, or everything else), so each is shaped on its own.
fn runs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last: Option<bool> = None;
    for (i, c) in text.char_indices() {
        // Spaces and digits join whatever run they are in.
        let kind = if c.is_whitespace() || c.is_ascii_digit() { last } else { Some(thai(c)) };
        if kind.is_some() && last.is_some() && kind != last {
            out.push(&text[start..i]);
            start = i;
        }
        if kind.is_some() {
            last = kind;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Where `text` may break, as byte offsets (never 0; the end included).
fn breaks(text: &str) -> Vec<usize> {
    let segmenter = icu_segmenter::LineSegmenter::new_auto(Default::default());
    segmenter.segment_str(text).filter(|&i| i > 0).collect()
}

/// Measures and breaks text in the letter's two faces.
struct Faces {
    regular: Face,
    bold: Face,
}

impl Faces {
    fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    fn run_width(&self, bold: bool, text: &str, size: f32) -> f32 {
        runs(text).iter().map(|r| self.face(bold).width(r, size)).sum()
    }

    /// `text` broken into lines no wider than `measure` (the first `first` wide).
    fn lines(&self, bold: bool, text: &str, size: f32, first: f32, measure: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut start = 0;
        for end in breaks(text) {
            let piece = &text[start..end];
            start = end;
            let width = if lines.is_empty() { first } else { measure };
            let candidate = format!("{line}{piece}");
            if line.is_empty() || self.run_width(bold, candidate.trim_end(), size) <= width {
                line = candidate;
            } else {
                lines.push(line.trim_end().to_string());
                line = piece.to_string();
            }
        }
        if !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
        }
        lines
    }
}

/// One line placed on the page: drawn at `x` on the current baseline, then the baseline
/// moves down by `advance` (0 for a label that shares its line with the text after it).
struct Placed {
    bold: bool,
    x: f32,
    text: String,
    size: f32,
    advance: f32,
}

/// Every block as lines, in order, before any page is started.
fn place(faces: &Faces, blocks: &[Block]) -> Vec<Placed> {
    let size = 15.0;
    let leading = size * 1.45;
    let measure = WIDTH - LEFT - RIGHT;
    let line = |bold: bool, x: f32, text: String, size: f32, advance: f32| Placed { bold, x, text, size, advance };
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Heading(text, s) => {
                let width = faces.run_width(true, text, *s);
                out.push(line(true, (WIDTH - width) / 2.0, text.clone(), *s, s * 1.6));
            }
            Block::Right(text) => {
                // Set against the right margin, wrapped within the page's right part (a
                // long office address takes two lines).
                let column = measure * 0.6;
                for l in faces.lines(false, text, size, column, column) {
                    let width = faces.run_width(false, &l, size);
                    out.push(line(false, WIDTH - RIGHT - width, l, size, leading));
                }
            }
            Block::Line(text) => out.push(line(false, LEFT, text.clone(), size, leading)),
            Block::Labelled(label, text) => {
                let label_width = faces.run_width(true, label, size) + 8.0;
                out.push(line(true, LEFT, label.clone(), size, 0.0));
                let lines = faces.lines(false, text, size, measure - label_width, measure - label_width);
                if lines.is_empty() {
                    out.push(line(false, LEFT, String::new(), size, leading));
                }
                for l in lines {
                    out.push(line(false, LEFT + label_width, l, size, leading));
                }
            }
            Block::Paragraph(text) => {
                let indent = 40.0;
                for (i, l) in faces.lines(false, text, size, measure - indent, measure).into_iter().enumerate() {
                    out.push(line(false, if i == 0 { LEFT + indent } else { LEFT }, l, size, leading));
                }
            }
            Block::Space(points) => out.push(line(false, LEFT, String::new(), size, *points)),
        }
    }
    out
}

/// The letter as a PDF of one or more A4 pages: lines flow onto a new page when the next
/// would pass the bottom margin, so nothing is drawn off the page however long a reason is.
/// From the second page on, each is numbered at the top, centred, as a Thai official letter
/// is (`- 2 -`).
pub fn render(title: &str, blocks: &[Block]) -> Vec<u8> {
    let faces = Faces {
        regular: Face::load(REGULAR),
        bold: Face::load(BOLD),
    };
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.to_string())
            .language("th".into())
            .creator("Section 41 claims".into()),
    );
    let placed = place(&faces, blocks);
    let mut rest = placed.iter().peekable();
    let mut number = 0;
    while rest.peek().is_some() {
        number += 1;
        let mut page = document.start_page_with(PageSettings::new(WIDTH, HEIGHT));
        {
            let mut surface = page.surface();
            if number > 1 {
                let (label, size) = (format!("- {number} -"), 14.0);
                let face = faces.face(false);
                let x = (WIDTH - face.width(&label, size)) / 2.0;
                surface.draw_text(Point::from_xy(x, TOP - 18.0), face.font.clone(), size, &label, false, TextDirection::Auto);
            }
            let mut y = TOP;
            let mut first = true;
            while let Some(p) = rest.peek() {
                // A line that would pass the bottom margin starts the next page (a label
                // goes with the line it stands on; space at the top of a page is dropped).
                let height = if p.advance == 0.0 { p.size * 1.45 } else { p.advance };
                if !first && y + height > HEIGHT - BOTTOM {
                    break;
                }
                if first && p.text.is_empty() {
                    rest.next();
                    continue;
                }
                first = false;
                let mut x = p.x;
                for run in runs(&p.text) {
                    let face = faces.face(p.bold);
                    surface.draw_text(Point::from_xy(x, y + p.size), face.font.clone(), p.size, run, false, TextDirection::Auto);
                    x += face.width(run, p.size);
                }
                y += p.advance;
                rest.next();
            }
            // The surface writes itself into the page as it is dropped.
        }
        page.finish();
    }
    document.finish().expect("a letter of text only is written")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_breaks_between_words_and_runs_split_by_script() {
        let text = "สำนักงานหลักประกันสุขภาพแห่งชาติ";
        let b = breaks(text);
        assert!(b.len() > 2, "several places to break a Thai phrase: {b:?}");
        assert!(b.iter().all(|&i| text.is_char_boundary(i)));
        assert_eq!(runs("เขต 13 Bangkok ยื่นแล้ว"), vec!["เขต 13 ", "Bangkok ", "ยื่นแล้ว"]);
    }

    #[test]
    fn a_long_paragraph_fills_lines_no_wider_than_the_measure() {
        let faces = Faces { regular: Face::load(REGULAR), bold: Face::load(BOLD) };
        let text = "ผู้ได้รับความเสียหายจากการรักษาพยาบาลยื่นคำร้องขอรับเงินช่วยเหลือเบื้องต้นได้ภายในสองปีนับแต่วันที่ทราบความเสียหาย ".repeat(4);
        let lines = faces.lines(false, &text, 15.0, 400.0, 400.0);
        assert!(lines.len() >= 4, "{lines:?}");
        for l in &lines {
            assert!(faces.run_width(false, l, 15.0) <= 400.0, "{l}");
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""), "nothing lost");
    }

    #[test]
    fn a_reason_longer_than_a_page_flows_onto_the_next() {
        let long = "เหตุผลประกอบคำวินิจฉัยโดยละเอียด ".repeat(200);
        let pdf = render("t", &[Block::Heading("สำนักงาน".into(), 18.0), Block::Paragraph(long)]);
        let pages = pdf.windows(b"/Type /Page\n".len()).filter(|w| *w == b"/Type /Page\n").count()
            + pdf.windows(b"/Type /Page ".len()).filter(|w| *w == b"/Type /Page ").count()
            + pdf.windows(b"/Type /Page/".len()).filter(|w| *w == b"/Type /Page/").count()
            + pdf.windows(b"/Type /Page>".len()).filter(|w| *w == b"/Type /Page>").count();
        assert!(pages >= 3, "a long paragraph takes several pages ({pages})");
        // Read back as a person would (Debian's poppler-utils, as the letters' tests do):
        // the second page and on are numbered at the top, the first is not.
        let file = std::env::temp_dir().join(format!("s41-long-letter-{}.pdf", std::process::id()));
        std::fs::write(&file, &pdf).unwrap();
        let page_text = |n: usize| {
            let out = std::process::Command::new("pdftotext")
                .args(["-f", &n.to_string(), "-l", &n.to_string(), "-layout"])
                .arg(&file)
                .arg("-")
                .output()
                .expect("pdftotext (scripts/setup.sh --test installs poppler-utils)");
            // pdftotext reads the narrow spaces of "- 2 -" as none.
            String::from_utf8(out.stdout).unwrap().replace(' ', "")
        };
        assert!(!page_text(1).contains("-1-"), "{}", page_text(1));
        assert!(page_text(2).trim_start().starts_with("-2-\n"), "{}", page_text(2));
        assert!(page_text(3).trim_start().starts_with("-3-\n"), "{}", page_text(3));
        let _ = std::fs::remove_file(&file);
    }
}
