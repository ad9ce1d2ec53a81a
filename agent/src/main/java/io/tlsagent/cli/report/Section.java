package io.tlsagent.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One part of the report as rows of named fields, so the table and the JSON document show the same content.
 * Values are strings, numbers or lists of strings; null leaves a field out.
 */
final class Section {

    final String key;
    final String title;
    final List<String> fields;
    final List<String> headers;
    final List<Object[]> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** More fields for the JSON document only (the table says the same in its notes). */
    final java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>();

    /** {@code columns} alternate: JSON field name, table header. */
    Section(String key, String title, String... columns) {
        this.key = key;
        this.title = title;
        this.fields = new ArrayList<>();
        this.headers = new ArrayList<>();
        for (int i = 0; i < columns.length; i += 2) {
            fields.add(columns[i]);
            headers.add(columns[i + 1]);
        }
    }

    Section row(Object... values) {
        rows.add(values);
        return this;
    }

    Section note(String note) {
        notes.add(note);
        return this;
    }
}
