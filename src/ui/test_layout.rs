//! For the real-window journeys (`tests/journeys.rs`) only. With
//! `HEMICYCLE_TEST_LAYOUT_FILE` set, the app writes, after each frame that
//! changed it, every widget of its accessibility tree — role, name (its
//! label, the label it is labelled by, or a label's text), value, whether it is disabled or
//! focused, and its rectangle in pixels of the window — as JSON to that
//! file (atomically). A test that drives the window with `xdotool` then
//! finds a widget by its name, as `egui_kittest` does, instead of by
//! guessed coordinates. Unset (always, outside those tests), nothing is
//! registered and nothing is written.

use std::collections::HashMap;
use std::path::PathBuf;

use eframe::egui::{self, accesskit};

/// The environment variable naming the file.
pub const ENV: &str = "HEMICYCLE_TEST_LAYOUT_FILE";

/// Turns the layout file on if the environment asks for it.
pub fn install(ctx: &egui::Context) {
    let Some(path) = std::env::var_os(ENV).filter(|p| !p.is_empty()) else {
        return;
    };
    ctx.enable_accesskit();
    ctx.add_plugin(LayoutFile {
        path: PathBuf::from(path),
        last: String::new(),
    });
}

struct LayoutFile {
    path: PathBuf,
    last: String,
}

impl egui::Plugin for LayoutFile {
    fn debug_name(&self) -> &'static str {
        "hemicycle-test-layout"
    }

    fn output_hook(&mut self, ctx: &egui::Context, output: &mut egui::FullOutput) {
        let Some(update) = &output.platform_output.accesskit_update else {
            return;
        };
        let text = widgets(update, f64::from(ctx.pixels_per_point())).to_string();
        if text == self.last {
            return;
        }
        // A test's file: a failed write shows as a test that finds nothing.
        if crate::store::write_one_of_many(&self.path, text.as_bytes(), "the test layout file").is_ok() {
            self.last = text;
        }
    }
}

/// The widgets of `update` with a name or a value, in the tree's order.
fn widgets(update: &accesskit::TreeUpdate, scale: f64) -> serde_json::Value {
    let by_id: HashMap<accesskit::NodeId, &accesskit::Node> = update.nodes.iter().map(|(id, n)| (*id, n)).collect();
    let name = |node: &accesskit::Node| -> Option<String> {
        node.label().map(str::to_owned).or_else(|| {
            let names: Vec<&str> = node
                .labelled_by()
                .iter()
                .filter_map(|id| by_id.get(id))
                .filter_map(|n| n.label().or_else(|| n.value()))
                .collect();
            (!names.is_empty()).then(|| names.join(" "))
        })
    };
    let list: Vec<serde_json::Value> = update
        .nodes
        .iter()
        .filter_map(|(id, node)| {
            let bounds = node.bounds()?;
            // A label's text is its value; it is also its name.
            let name = name(node).or_else(|| {
                (node.role() == accesskit::Role::Label)
                    .then(|| node.value().map(str::to_owned))
                    .flatten()
            });
            let value = node.value().map(str::to_owned);
            if name.is_none() && value.is_none() {
                return None;
            }
            Some(serde_json::json!({
                "role": format!("{:?}", node.role()),
                "name": name,
                "value": value,
                "disabled": node.is_disabled(),
                "focused": update.focus == *id,
                "rect": [bounds.x0 * scale, bounds.y0 * scale, bounds.x1 * scale, bounds.y1 * scale],
            }))
        })
        .collect();
    serde_json::Value::Array(list)
}
