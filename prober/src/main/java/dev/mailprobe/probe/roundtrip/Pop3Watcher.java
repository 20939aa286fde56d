package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.ProbeTarget;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.angus.mail.pop3.POP3Folder;

/**
 * POP3 fetch target. POP3 shows a snapshot per session, so every poll is one session: login,
 * {@code UIDL}, {@code TOP n 0} for messages not seen before (UIDs of foreign mail are remembered
 * and skipped), {@code DELE} of our found (or expired) mail, {@code QUIT}. The detection time is
 * when the UIDL listing arrived.
 */
final class Pop3Watcher extends Watcher {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Pop3Watcher.class);
    private final Set<String> foreign = new HashSet<>();
    /**
     * UIDs read as foreign once. A UID is skipped only after two sessions agree: a server that does
     * not snapshot the maildrop (GreenMail) shifts message numbers when another session expunges,
     * so one {@code TOP} can return another message's headers, and skipping our own mail on that
     * one reading would turn it into a false "lost".
     */
    private final Set<String> foreignOnce = new HashSet<>();

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
        store.connect(target.host(), target.endpoint().port(), a.username(), a.password().reveal());
        if (greeting != null) {
            servedBy = engine.attribute(greeting.greeting(), target.host());
            session.setDebug(false);
        }
        POP3Folder folder = null;
        boolean expunge = false;
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
            for (Message m : msgs) {
                String uid = folder.getUID(m);
                if (uid != null) {
                    present.add(uid);
                    if (foreign.contains(uid)) {
                        continue;
                    }
                }
                String[] token;
                String[] messageId;
                String[] received;
                try {
                    token = m.getHeader(ProbeToken.HEADER); // TOP n 0
                    messageId = m.getHeader("Message-ID");
                    received = m.getHeader("Received");
                } catch (MessageRemovedException gone) {
                    continue; // another session deleted it since UIDL; not ours to judge
                }
                RoundTripEngine.Claim claim = token == null || token.length == 0 ? RoundTripEngine.Claim.FOREIGN
                        : engine.claim(this, token[0], messageId == null || messageId.length == 0 ? null : messageId[0],
                                received, observed, now);
                if (claim == RoundTripEngine.Claim.FOUND || claim == RoundTripEngine.Claim.OURS_EXPIRED) {
                    m.setFlag(Flags.Flag.DELETED, true);
                    expunge = true;
                } else if (claim == RoundTripEngine.Claim.FOREIGN && uid != null && !foreignOnce.add(uid)) {
                    foreign.add(uid);
                }
            }
            foreign.retainAll(present);
            foreignOnce.retainAll(present);
            return observed;
        } finally {
            try {
                if (folder != null && folder.isOpen()) {
                    folder.close(expunge); // DELE is applied at QUIT
                }
            } catch (MessagingException | RuntimeException e) {
                // QUIT failed: the server rolls the DELEs back; a later session deletes them again
                log.debug("round-trip POP3 {}: QUIT failed: {}", key, RoundTripEngine.describe(e));
            }
            try {
                store.close();
            } catch (MessagingException | RuntimeException ignored) {
                // closed anyway
            }
        }
    }

    @Override
    void disconnect() {
        // nothing is kept open
    }
}
