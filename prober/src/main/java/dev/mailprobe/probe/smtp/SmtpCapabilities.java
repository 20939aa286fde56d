package dev.mailprobe.probe.smtp;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** What EHLO advertised (empty after a HELO fallback). */
record SmtpCapabilities(Set<String> keywords, Set<String> authMechanisms) {
    static final SmtpCapabilities NONE = new SmtpCapabilities(Set.of(), Set.of());

    static SmtpCapabilities parse(SmtpReply ehlo) {
        Set<String> keywords = new TreeSet<>();
        Set<String> mechs = new TreeSet<>();
        // the first line is the server's name and greeting text
        for (String line : ehlo.lines().subList(Math.min(1, ehlo.lines().size()), ehlo.lines().size())) {
            String[] words = line.trim().toUpperCase(Locale.ROOT).split("[\\s=]+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            keywords.add(words[0]);
            if (words[0].equals("AUTH")) {
                for (int i = 1; i < words.length; i++) {
                    mechs.add(words[i]);
                }
            }
        }
        return new SmtpCapabilities(Set.copyOf(keywords), Set.copyOf(mechs));
    }

    boolean has(String keyword) {
        return keywords.contains(keyword);
    }
}
