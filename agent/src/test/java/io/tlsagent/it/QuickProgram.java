package io.tlsagent.it;

/** A program that says one line and ends at once (ConfigIT: a bad setting must still be said, before its line). */
public final class QuickProgram {

    private QuickProgram() {}

    public static void main(String[] args) {
        System.out.println("HELLO");
    }
}
