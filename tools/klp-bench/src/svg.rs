// SPDX-License-Identifier: GPL-2.0

//! The plots of a report, as SVG (plotters' SVG backend): a bar per variant (the median) with
//! its min–max range for each part, and Rust beside C for the sizes.

use plotters::prelude::*;

use crate::report::{Part, Scaling, SizePair, PARTS, VARIANTS};

type Result<T> = std::result::Result<T, String>;

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// A bar chart of `bars` (label, median, min, max), titled `title`, its y axis `unit`.
fn bars(title: &str, unit: &str, bars: &[(String, f64, f64, f64)]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let top = bars.iter().map(|b| b.3).fold(0.0, f64::max) * 1.15;
        let top = if top > 0.0 { top } else { 1.0 };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d((0..bars.len()).into_segmented(), 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(unit)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => bars.get(*i).map(|b| b.0.clone()).unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(err)?;
        let colors = [
            RGBColor(150, 150, 150),
            RGBColor(60, 110, 180),
            RGBColor(200, 90, 40),
        ];
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), b.1),
                    ],
                    colors[i % colors.len()].filled(),
                );
                bar.set_margin(0, 0, 20, 20);
                bar
            }))
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                PathElement::new(
                    vec![
                        (SegmentValue::CenterOf(i), b.2),
                        (SegmentValue::CenterOf(i), b.3),
                    ],
                    BLACK.stroke_width(2),
                )
            }))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The plot of a part: a bar per variant.
pub fn part(part: &Part) -> Result<String> {
    let order = PARTS
        .iter()
        .find(|p| p.name == part.name)
        .map_or(VARIANTS, |p| p.variants);
    let data: Vec<_> = order
        .iter()
        .filter_map(|v| {
            let s = part.variants.get(*v)?;
            Some(((*v).to_owned(), s.median, s.min, s.max))
        })
        .collect();
    let title = match (&part.ratio, part.rust_over_c) {
        (Some(r), _) => format!("{} ({} = {:.3})", part.title, r.label, r.value),
        (None, Some(r)) => format!("{} (Rust / C = {r:.3})", part.title),
        (None, None) => part.title.clone(),
    };
    bars(&title, &part.unit, &data)
}

/// The plot of the sizes: text+data of each Rust patch and its C twin.
pub fn sizes(pairs: &[SizePair]) -> Result<String> {
    let mut data = Vec::new();
    for p in pairs {
        let short = p
            .name
            .trim_start_matches("livepatch_")
            .trim_start_matches("klp_rs_");
        for (lang, s) in [("C", p.c), ("Rust", p.rust)] {
            let v = s.text_data() as f64;
            data.push((format!("{short} {lang}"), v, v, v));
        }
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let top = data.iter().map(|b| b.1).fold(0.0, f64::max) * 1.15;
        let mut chart = ChartBuilder::on(&root)
            .caption("patch module text+data, C and Rust", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d((0..data.len()).into_segmented(), 0f64..top.max(1.0))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc("bytes")
            .x_label_style(("sans-serif", 11))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => data.get(*i).map(|b| b.0.clone()).unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(err)?;
        chart
            .draw_series(data.iter().enumerate().map(|(i, b)| {
                let color = if i % 2 == 0 {
                    RGBColor(60, 110, 180)
                } else {
                    RGBColor(200, 90, 40)
                };
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), b.1),
                    ],
                    color.filled(),
                );
                bar.set_margin(0, 0, 6, 6);
                bar
            }))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The plot of a scaling part: load time against x, C and Rust.
pub fn scaling(sc: &Scaling) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let xmax = sc.points.iter().map(|p| p.x).max().unwrap_or(1).max(1) as f64;
        let ymax = sc.points.iter().map(|p| p.load_ms.max).fold(0.0, f64::max) * 1.15;
        let mut chart = ChartBuilder::on(&root)
            .caption(&sc.title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..xmax * 1.05, 0f64..ymax.max(1.0))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(sc.x.as_str())
            .y_desc("ms, insmod to end of transition (TCG)")
            .draw()
            .map_err(err)?;
        for (variant, color) in [
            ("c", RGBColor(60, 110, 180)),
            ("rust", RGBColor(200, 90, 40)),
        ] {
            let points: Vec<(f64, f64)> = sc
                .points
                .iter()
                .filter(|p| p.variant == variant)
                .map(|p| (p.x as f64, p.load_ms.median))
                .collect();
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points.clone(),
                    color.stroke_width(2),
                )))
                .map_err(err)?
                .label(variant)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 4, color.filled())))
                .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE)
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
