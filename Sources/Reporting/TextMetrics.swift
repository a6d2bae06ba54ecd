/// Estimated widths of text in a sans-serif font, for layout without a font engine.
///
/// The per-character widths are those of DejaVu Sans (the widest common sans-serif, Debian's
/// default), so the estimates err towards more room rather than overlap.
enum TextMetrics {
    /// The estimated width of `text` at `fontSize` pixels.
    static func width(_ text: String, fontSize: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + em($1) } * fontSize
    }

    /// `text` shortened with an ellipsis so that it fits in `maxWidth` pixels.
    static func truncate(_ text: String, toWidth maxWidth: Double, fontSize: Double) -> String {
        guard width(text, fontSize: fontSize) > maxWidth + 0.5 else { return text }
        var kept = ""
        var used = em("…") * fontSize
        for character in text {
            let w = width(String(character), fontSize: fontSize)
            if used + w > maxWidth { break }
            kept.append(character)
            used += w
        }
        return kept + "…"
    }

    private static func em(_ scalar: Unicode.Scalar) -> Double {
        switch scalar {
        case "0"..."9": return 0.64
        case " ", ".", ",", ":", ";", "i", "j", "l", "|", "!", "'", "I": return 0.32
        case "(", ")", "[", "]", "-", "f", "t", "r": return 0.42
        case "m", "w", "M", "W", "%", "@": return 0.95
        case "A"..."Z": return 0.72
        case "a"..."z": return 0.62
        default: return scalar.value < 0x80 ? 0.64 : 0.8
        }
    }
}
