/// Spreadsheet-safe CSV text (the "CSV injection" OWASP describes): Excel,
/// LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or
/// `@` (some also after a tab or CR) as a formula. Such text is written with a
/// leading `'`, which makes it plain text to a person and harmless to a
/// spreadsheet. Text that already starts with `'` gets one too, so decoding is
/// always "drop one leading `'`" and gives back every text exactly.
enum FormulaGuard {
    /// First bytes that start a formula, and the guard's own `'`.
    private static let escaped = Set("=+-@\t\r'".utf8)

    static func encode(_ text: String) -> String {
        guard let first = text.utf8.first, escaped.contains(first) else { return text }
        return "'" + text
    }

    static func decode(_ field: String) -> String {
        // By scalar, not Character: a `'` and what follows it may form one grapheme.
        field.utf8.first == UInt8(ascii: "'") ? String(field.unicodeScalars.dropFirst()) : field
    }
}
