package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.ProbeTarget;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.pop3.MailprobePop3;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.eclipse.angus.mail.pop3.POP3Message;

/**
 * POP3 fetch target. Every poll is one session: login, {@code UIDL}, {@code TOP n 0} for messages
 * not seen before (UIDs of foreign mail are remembered and skipped), {@code DELE} of our found (or
 * expired) mail, {@code QUIT}. The detection time is when the UIDL listing arrived.
 *
 * <p>RFC 1939 numbers messages per session, but some servers (GreenMail) do not snapshot the
 * maildrop: another session's QUIT renumbers ours, so {@code TOP n} or {@code DELE n} can reach
 * another message than the listing named. A message is therefore deleted only after a fresh
 * {@code TOP n 0} shows it still carries the token and Message-ID we claimed, highest number first,
 * under the engine's mailbox lock (see {@link RoundTripEngine#lockMailbox}); a mismatch leaves it
 * for a later session (decided mail is deleted whenever seen again).
 */
final class Pop3Watcher extends Watcher {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Pop3Watcher.class);
    private final Set<String> foreign = new HashSet<>();
    /**
     * UIDs read as foreign once. A UID is skipped only after two sessions agree: a renumbering by a
     * client outside this process can make one {@code TOP} return another message's headers, and
     * skipping our own mail on that one reading would turn it into a false "lost". Readings taken
     * while this process removed mail are not counted at all.
     */
    private final Set<String> foreignOnce = new HashSet<>();

    /** A message to delete: its number in this session and the headers that made it ours. */
    private record Doomed(int number, String token, String messageId) {}

    Pop3Watcher(String key, String label, ProbeTarget target, RoundTripEngine engine) {
        super(key, label, target, engine);
    }

    @Override
    boolean keepsConnection() {
        return false;
    }

    @Override
    boolean connected() {
        return false; // no long-lived connection
    }

    @Override
    long poll() throws Exception {
        return session(false);
    }

    @Override
    void sweep() throws Exception {
        session(true);
    }

    private long session(boolean sweep) throws MessagingException {
        MailSessions.GreetingCapture greeting = target.servedBy() == null ? new MailSessions.GreetingCapture() : null;
        Session session = greeting != null
                ? engine.sessions().greetingSession("pop3", target, null, greeting)
                : engine.sessions().session("pop3", target, null);
        Store store = session.getStore("pop3");
        Account a = engine.settings().account();
        long version = engine.mailboxVersion();
        store.connect(target.host(), target.endpoint().port(), a.username(), a.password().reveal());
        if (greeting != null) {
            servedBy = engine.attribute(greeting.greeting(), target.host());
            session.setDebug(false);
        }
        POP3Folder folder = null;
        List<Doomed> delete = new ArrayList<>();
        try {
            folder = (POP3Folder) store.getFolder("INBOX");
            folder.open(Folder.READ_WRITE);
            Message[] msgs = folder.getMessages();
            FetchProfile fp = new FetchProfile();
            fp.add(UIDFolder.FetchProfileItem.UID);
            folder.fetch(msgs, fp);
            long observed = engine.nanoTime();
            Instant now = engine.wallNow();
            Set<String> present = new HashSet<>();
            Set<String> foreignNow = new HashSet<>();
            for (Message m : msgs) {
                String uid = folder.getUID(m);
                if (uid != null) {
                    present.add(uid);
                    if (foreign.contains(uid)) {
                        continue;
                    }
                }
                String token;
                String messageId;
                String[] received;
                try {
                    token = first(m.getHeader(ProbeToken.HEADER)); // TOP n 0
                    messageId = first(m.getHeader("Message-ID"));
                    received = m.getHeader("Received");
                } catch (MessageRemovedException gone) {
                    continue; // another session deleted it since UIDL; not ours to judge
                }
                RoundTripEngine.Claim claim = token == null ? RoundTripEngine.Claim.FOREIGN
                        : engine.claim(this, token, messageId, received, observed, now);
                if ((claim == RoundTripEngine.Claim.FOUND || claim == RoundTripEngine.Claim.OURS_EXPIRED) && messageId != null) {
                    delete.add(new Doomed(m.getMessageNumber(), token, messageId));
                } else if (claim == RoundTripEngine.Claim.FOREIGN && uid != null) {
                    foreignNow.add(uid);
                }
            }
            if (version >= 0 && engine.mailboxVersion() == version) {
                for (String uid : foreignNow) {
                    if (!foreignOnce.add(uid)) {
                        foreign.add(uid);
                    }
                }
            }
            foreign.retainAll(present);
            foreignOnce.retainAll(present);
            return observed;
        } finally {
            close(folder, delete);
            try {
                store.close();
            } catch (MessagingException | RuntimeException ignored) {
                // closed anyway
            }
        }
    }

    /**
     * Deletes what is still ours of {@code delete} and QUITs (which applies the DELEs). Without
     * anything to delete the QUIT needs no lock: it removes no mail of ours, and removals of other
     * watchers of this process only reach messages numbered above the one being checked.
     */
    private void close(POP3Folder folder, List<Doomed> delete) {
        if (folder == null || !folder.isOpen()) {
            return;
        }
        boolean locked = !delete.isEmpty() && engine.lockMailbox(target.settings().timeout());
        try {
            if (locked) {
                deleteStillOurs(folder, delete);
            } else if (!delete.isEmpty()) {
                log.debug("round-trip POP3 {}: another watcher is deleting; {} message(s) left for a later look", key, delete.size());
            }
            folder.close(false); // QUIT
        } catch (MessagingException | RuntimeException e) {
            // QUIT failed: the server rolls the DELEs back; a later session deletes them again
            log.debug("round-trip POP3 {}: DELE or QUIT failed: {}", key, RoundTripEngine.describe(e));
        } finally {
            if (locked) {
                engine.unlockMailbox();
            }
        }
    }

    /** Highest number first: {@code TOP n 0} again, and {@code DELE n} only if it still shows the same token and Message-ID. */
    private void deleteStillOurs(POP3Folder folder, List<Doomed> delete) throws MessagingException {
        List<Doomed> order = new ArrayList<>(delete);
        order.sort(Comparator.comparingInt(Doomed::number).reversed());
        for (Doomed d : order) {
            POP3Message m = (POP3Message) folder.getMessage(d.number());
            m.invalidate(true); // the next header read is a fresh TOP n 0
            String token;
            String messageId;
            try {
                token = first(m.getHeader(ProbeToken.HEADER));
                messageId = first(m.getHeader("Message-ID"));
            } catch (MessageRemovedException gone) {
                continue;
            }
            if (d.token().equals(token) && d.messageId().equals(messageId)) {
                MailprobePop3.dele(folder, d.number());
            } else {
                log.debug("round-trip POP3 {}: message {} is no longer {} (the server renumbered); not deleted",
                        key, d.number(), d.messageId());
            }
        }
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    void disconnect() {
        // nothing is kept open
    }
}
