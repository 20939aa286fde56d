package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.ProbeTarget;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IMAP fetch target. One long-lived connection (INBOX selected read-write) for polls and deletes:
 * a poll is {@code NOOP} (the server reports new mail as EXISTS), then, only when the count changed
 * (or once a second), {@code UID FETCH floor:* (UID)} and, by UID, the headers of what is new
 * ({@code Message-ID}, the token, {@code Received}). Everything after NOOP is addressed by UID. Where IDLE is offered, a second long-lived
 * connection sits in IDLE and wakes the poller on every notification (re-established with
 * backoff). Found probe mail is deleted at once: {@code \Deleted} + {@code UID EXPUNGE}; without
 * UIDPLUS a plain EXPUNGE is issued only when no other message carries {@code \Deleted}.
 */
final class ImapWatcher extends Watcher {
    private static final Logger log = LoggerFactory.getLogger(ImapWatcher.class);
    private static final long FULL_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long GAP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Duration IDLE_READ_TIMEOUT = Duration.ofMinutes(5);

    private IMAPStore store;
    private IMAPFolder folder;
    private boolean uidPlus;
    /** Every UID below this was examined (or is gone); UIDs at or above it that were examined are in {@link #examined}. */
    private long floorUid = 1;
    private final TreeSet<Long> examined = new TreeSet<>();
    private long gapSinceNanos = Long.MIN_VALUE;
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
        floorUid = uidNext > 0 ? uidNext : 1;
        examined.clear();
        gapSinceNanos = Long.MIN_VALUE;
        lastTotal = folder.getMessageCount();
        lastFullCheckNanos = engine.nanoTime();
        // probe mail that arrived while we were not connected (or before a restart)
        long observed = engine.nanoTime();
        examine(ImapCommands.searchTokenUids(folder), observed, true);
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
        run(p -> {
            p.noop();
            return null;
        });
        long observed = engine.nanoTime();
        int total = folder.getMessageCount();
        if (total == 0) {
            lastTotal = 0;
            lastFullCheckNanos = observed;
        } else if (total != lastTotal || observed - lastFullCheckNanos >= FULL_CHECK_NANOS) {
            List<Long> fresh = new ArrayList<>();
            for (long uid : ImapCommands.fetchUids(folder, floorUid)) {
                if (uid >= floorUid && !examined.contains(uid)) {
                    fresh.add(uid);
                }
            }
            if (log.isTraceEnabled()) {
                log.trace("{}: total {} (was {}), floor uid {}, new {}", key, total, lastTotal, floorUid, fresh);
            }
            if (!fresh.isEmpty()) {
                examine(fresh, observed, false);
                examined.addAll(fresh);
            }
            advanceFloor(observed);
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
        examine(ImapCommands.searchTokenUids(folder), engine.nanoTime(), true);
    }

    /**
     * Moves the floor over examined UIDs. A gap (a UID not examined below one that was) is normally
     * mail expunged before we saw it, since servers assign UIDs in ascending order as mail becomes
     * visible; some (GreenMail under concurrent delivery) make a lower UID visible a little later,
     * so a gap is only closed after {@link #GAP_GRACE_NANOS}.
     */
    private void advanceFloor(long now) {
        while (!examined.isEmpty()) {
            long lowest = examined.first();
            if (lowest < floorUid) {
                examined.pollFirst();
            } else if (lowest == floorUid) {
                examined.pollFirst();
                floorUid++;
                gapSinceNanos = Long.MIN_VALUE;
            } else if (gapSinceNanos == Long.MIN_VALUE) {
                gapSinceNanos = now;
                return;
            } else if (now - gapSinceNanos >= GAP_GRACE_NANOS) {
                floorUid = lowest;
                gapSinceNanos = Long.MIN_VALUE;
            } else {
                return;
            }
        }
    }

    /**
     * Reads the headers of {@code uids} (by UID, so concurrent expunges cannot mix messages up),
     * claims our pending mail among them and deletes it; with {@code sweep}, old probe mail too.
     */
    private void examine(List<Long> uids, long observed, boolean sweep) throws MessagingException {
        if (uids.isEmpty()) {
            return;
        }
        Map<Long, InternetHeaders> headers = ImapCommands.fetchHeaders(folder, uids);
        List<Long> delete = new ArrayList<>();
        Instant now = engine.wallNow();
        for (Map.Entry<Long, InternetHeaders> e : headers.entrySet()) {
            InternetHeaders h = e.getValue();
            String token = h.getHeader(ProbeToken.HEADER, null);
            if (token == null) {
                continue;
            }
            RoundTripEngine.Claim claim = engine.claim(this, token, h.getHeader("Message-ID", null),
                    h.getHeader("Received"), observed, now);
            if (claim == RoundTripEngine.Claim.FOUND || (sweep && claim == RoundTripEngine.Claim.OURS_EXPIRED)) {
                delete.add(e.getKey());
            }
        }
        delete(delete);
    }

    /**
     * {@code \Deleted} + UID EXPUNGE of exactly these; without UIDPLUS, EXPUNGE only when nothing else
     * is \Deleted. While POP3 watchers read the same mailbox this takes the engine's mailbox lock (an
     * expunge renumbers their sessions on servers that do not snapshot the maildrop); if another
     * watcher holds it too long the mail is left to be deleted when seen again (sweep).
     */
    private void delete(List<Long> uids) throws MessagingException {
        if (uids.isEmpty()) {
            return;
        }
        if (!engine.pop3Watching()) {
            flagAndExpunge(uids);
            return;
        }
        if (!engine.lockMailbox(target.settings().timeout())) {
            log.debug("round-trip {}: another watcher is deleting; {} message(s) left for a later look", key, uids.size());
            return;
        }
        try {
            flagAndExpunge(uids);
        } finally {
            engine.unlockMailbox();
        }
    }

    private void flagAndExpunge(List<Long> uids) throws MessagingException {
        ImapCommands.flagDeleted(folder, uids);
        if (uidPlus) {
            ImapCommands.uidExpunge(folder, uids);
            return;
        }
        Set<Long> ours = new HashSet<>(uids);
        for (long d : ImapCommands.searchDeletedUids(folder)) {
            if (!ours.contains(d)) {
                log.debug("round-trip {}: not expunging, another message is marked \\Deleted", key);
                return; // our mail stays flagged; a later sweep retries
            }
        }
        ImapCommands.expunge(folder);
    }

    private void run(IMAPFolder.ProtocolCommand command) throws MessagingException {
        folder.doCommand(command);
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
