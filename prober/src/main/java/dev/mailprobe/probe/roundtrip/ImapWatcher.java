package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.ProbeTarget;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.HeaderTerm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IMAP fetch target. One long-lived connection (INBOX selected read-write) for polls and deletes:
 * a poll is {@code NOOP} (the server reports new mail as EXISTS), then, only when the count changed
 * (or once a second), {@code UID FETCH next:* (UID)} and the headers of what is new
 * ({@code Message-ID}, the token, {@code Received}). Where IDLE is offered, a second long-lived
 * connection sits in IDLE and wakes the poller on every notification (re-established with
 * backoff). Found probe mail is deleted at once: {@code \Deleted} + {@code UID EXPUNGE}; without
 * UIDPLUS a plain EXPUNGE is issued only when no other message carries {@code \Deleted}.
 */
final class ImapWatcher extends Watcher {
    private static final Logger log = LoggerFactory.getLogger(ImapWatcher.class);
    private static final long FULL_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration IDLE_READ_TIMEOUT = Duration.ofMinutes(5);

    private IMAPStore store;
    private IMAPFolder folder;
    private boolean uidPlus;
    private long nextUid = 1;
    private int lastTotal = -1;
    private long lastFullCheckNanos;

    private volatile Thread idleThread;
    private volatile IMAPStore idleStore;
    private volatile boolean idleUnsupported;

    ImapWatcher(String key, String label, ProbeTarget target, RoundTripEngine engine) {
        super(key, label, target, engine);
    }

    @Override
    boolean connected() {
        return folder != null && folder.isOpen() && store != null && store.isConnected();
    }

    private void connect() throws MessagingException {
        disconnect();
        MailSessions.GreetingCapture greeting = target.servedBy() == null ? new MailSessions.GreetingCapture() : null;
        Session session = greeting != null
                ? engine.sessions().greetingSession("imap", target, null, greeting)
                : engine.sessions().session("imap", target, null);
        IMAPStore s = (IMAPStore) session.getStore("imap");
        Account a = engine.settings().account();
        s.connect(target.host(), target.endpoint().port(), a.username(), a.password().reveal());
        try {
            IMAPFolder f = (IMAPFolder) s.getFolder("INBOX");
            f.open(Folder.READ_WRITE);
            store = s;
            folder = f;
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
        if (greeting != null) {
            servedBy = engine.attribute(greeting.greeting(), target.host());
            session.setDebug(false);
        }
        uidPlus = store.hasCapability("UIDPLUS");
        long uidNext = folder.getUIDNext();
        nextUid = uidNext > 0 ? uidNext : 1;
        lastTotal = folder.getMessageCount();
        lastFullCheckNanos = engine.nanoTime();
        // probe mail that arrived while we were not connected (or before a restart)
        long observed = engine.nanoTime();
        examine(folder.search(new HeaderTerm(ProbeToken.HEADER, ProbeToken.VERSION)), observed, true);
        if (!idleUnsupported && idleThread == null && store.hasCapability("IDLE") && running()) {
            Thread t = new Thread(this::idleLoop, "mailprobe-rt-idle-" + key);
            t.setDaemon(true);
            idleThread = t;
            t.start();
        } else if (!store.hasCapability("IDLE")) {
            idleUnsupported = true;
        }
    }

    @Override
    long poll() throws Exception {
        if (!connected()) {
            connect();
        }
        folder.doCommand(p -> {
            p.noop();
            return null;
        });
        long observed = engine.nanoTime();
        int total = folder.getMessageCount();
        if (total == 0) {
            lastTotal = 0;
            lastFullCheckNanos = observed;
        } else if (total != lastTotal || observed - lastFullCheckNanos >= FULL_CHECK_NANOS) {
            Message[] all = folder.getMessagesByUID(nextUid, UIDFolder.LASTUID);
            List<Message> fresh = new ArrayList<>();
            for (Message m : all) {
                if (m != null && !m.isExpunged() && folder.getUID(m) >= nextUid) {
                    fresh.add(m);
                }
            }
            if (!fresh.isEmpty()) {
                Message[] msgs = fresh.toArray(Message[]::new);
                examine(msgs, observed, false);
                for (Message m : msgs) {
                    nextUid = Math.max(nextUid, folder.getUID(m) + 1);
                }
            }
            lastTotal = folder.getMessageCount();
            lastFullCheckNanos = observed;
        }
        return observed;
    }

    @Override
    void sweep() throws Exception {
        if (!connected()) {
            connect(); // connecting examines every probe mail, sweeping included
            return;
        }
        examine(folder.search(new HeaderTerm(ProbeToken.HEADER, ProbeToken.VERSION)), engine.nanoTime(), true);
    }

    /** Claims our pending mail among {@code msgs} and deletes it; with {@code sweep}, old probe mail too. */
    private void examine(Message[] msgs, long observed, boolean sweep) throws MessagingException {
        if (msgs.length == 0) {
            return;
        }
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add("Message-ID");
        fp.add(ProbeToken.HEADER);
        fp.add("Received");
        folder.fetch(msgs, fp);
        List<Message> delete = new ArrayList<>();
        Instant now = engine.wallNow();
        for (Message m : msgs) {
            if (m.isExpunged()) {
                continue;
            }
            String token = first(m.getHeader(ProbeToken.HEADER));
            if (token == null) {
                continue;
            }
            String messageId = first(m.getHeader("Message-ID"));
            RoundTripEngine.Claim claim = engine.claim(this, token, messageId, m.getHeader("Received"), observed, now);
            if (claim == RoundTripEngine.Claim.FOUND || (sweep && claim == RoundTripEngine.Claim.OURS_EXPIRED)) {
                delete.add(m);
            }
        }
        delete(delete);
    }

    private void delete(List<Message> msgs) throws MessagingException {
        if (msgs.isEmpty()) {
            return;
        }
        Message[] arr = msgs.toArray(Message[]::new);
        folder.setFlags(arr, new Flags(Flags.Flag.DELETED), true);
        if (uidPlus) {
            folder.expunge(arr); // UID EXPUNGE of exactly these
            return;
        }
        // no UIDPLUS: EXPUNGE removes every \Deleted message, so only when the only ones are ours
        Set<Message> ours = new HashSet<>(Arrays.asList(arr));
        Message[] deleted = folder.search(new FlagTerm(new Flags(Flags.Flag.DELETED), true));
        for (Message d : deleted) {
            if (!ours.contains(d)) {
                log.debug("round-trip {}: not expunging, another message is marked \\Deleted", key);
                return; // our mail stays flagged; a later sweep retries
            }
        }
        folder.expunge();
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    void disconnect() {
        IMAPFolder f = folder;
        IMAPStore s = store;
        folder = null;
        store = null;
        if (f != null) {
            try {
                if (f.isOpen()) {
                    f.close(false);
                }
            } catch (MessagingException | RuntimeException ignored) {
                // closing anyway
            }
        }
        closeQuietly(s);
    }

    @Override
    void stopExtras() {
        Thread t = idleThread;
        IMAPStore s = idleStore;
        if (s != null) {
            // closing sends DONE and may wait on a dead server: never on the caller's thread
            Thread closer = new Thread(() -> closeQuietly(s), "mailprobe-rt-idle-close-" + key);
            closer.setDaemon(true);
            closer.start();
        }
        if (t != null) {
            t.interrupt();
        }
    }

    /** Sits in IDLE on its own connection; every notification wakes the poller. */
    private void idleLoop() {
        long backoffMillis = 1000;
        while (running()) {
            IMAPStore s = null;
            try {
                Session session = engine.sessions().session("imap", target, IDLE_READ_TIMEOUT);
                s = (IMAPStore) session.getStore("imap");
                Account a = engine.settings().account();
                s.connect(target.host(), target.endpoint().port(), a.username(), a.password().reveal());
                if (!s.hasCapability("IDLE")) {
                    idleUnsupported = true;
                    return;
                }
                idleStore = s;
                if (!running()) {
                    return;
                }
                IMAPFolder f = (IMAPFolder) s.getFolder("INBOX");
                f.open(Folder.READ_ONLY);
                backoffMillis = 1000;
                while (running()) {
                    f.idle(true);
                    wake();
                }
            } catch (Exception e) {
                if (!running()) {
                    return;
                }
                log.debug("round-trip IDLE on {} failed: {}", key, RoundTripEngine.describe(e));
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMillis = Math.min(60_000, backoffMillis * 2);
            } finally {
                idleStore = null;
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(IMAPStore s) {
        if (s != null) {
            try {
                s.close();
            } catch (MessagingException | RuntimeException ignored) {
                // nothing left to do
            }
        }
    }
}
