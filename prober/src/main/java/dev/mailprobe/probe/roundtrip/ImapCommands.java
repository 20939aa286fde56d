package dev.mailprobe.probe.roundtrip;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * The few UID-addressed IMAP commands the watcher needs, sent on the folder's own connection
 * (untagged EXISTS/EXPUNGE still reach the folder). Message sequence numbers are never used, so
 * another client expunging at the same time cannot make us read or delete the wrong message.
 */
final class ImapCommands {
    static final String HEADER_FIELDS = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID " + ProbeToken.HEADER.toUpperCase(java.util.Locale.ROOT) + " RECEIVED)]";

    private ImapCommands() {}

    /** {@code UID FETCH from:* (UID)}: the UIDs at or above {@code from} (plus the highest, as "*" demands). */
    static List<Long> fetchUids(IMAPFolder folder, long from) throws MessagingException {
        Response[] r = command(folder, "UID FETCH " + from + ":* (UID)");
        List<Long> uids = new ArrayList<>();
        for (Response resp : r) {
            if (resp instanceof FetchResponse fr) {
                UID u = fr.getItem(UID.class);
                if (u != null) {
                    uids.add(u.uid);
                }
            }
        }
        return uids;
    }

    /** The Message-ID, token and Received headers of each of {@code uids} still present. */
    static Map<Long, InternetHeaders> fetchHeaders(IMAPFolder folder, List<Long> uids) throws MessagingException {
        Response[] r = command(folder, "UID FETCH " + set(uids) + " (UID " + HEADER_FIELDS + ")");
        Map<Long, InternetHeaders> out = new LinkedHashMap<>();
        for (Response resp : r) {
            if (resp instanceof FetchResponse fr) {
                UID u = fr.getItem(UID.class);
                BODY b = fr.getItem(BODY.class);
                if (u != null && b != null && b.getByteArray() != null) {
                    out.put(u.uid, new InternetHeaders(b.getByteArrayInputStream()));
                }
            }
        }
        return out;
    }

    /** {@code UID SEARCH HEADER X-Mailprobe-Token v1}: candidates only; the token is verified after. */
    static List<Long> searchTokenUids(IMAPFolder folder) throws MessagingException {
        return search(folder, "UID SEARCH HEADER " + ProbeToken.HEADER + " " + ProbeToken.VERSION);
    }

    static List<Long> searchDeletedUids(IMAPFolder folder) throws MessagingException {
        return search(folder, "UID SEARCH DELETED");
    }

    static void flagDeleted(IMAPFolder folder, List<Long> uids) throws MessagingException {
        command(folder, "UID STORE " + set(uids) + " +FLAGS.SILENT (\\Deleted)");
    }

    /** UID EXPUNGE (UIDPLUS): removes exactly these messages. */
    static void uidExpunge(IMAPFolder folder, List<Long> uids) throws MessagingException {
        command(folder, "UID EXPUNGE " + set(uids));
    }

    static void expunge(IMAPFolder folder) throws MessagingException {
        command(folder, "EXPUNGE");
    }

    private static List<Long> search(IMAPFolder folder, String cmd) throws MessagingException {
        Response[] r = command(folder, cmd);
        List<Long> uids = new ArrayList<>();
        for (Response resp : r) {
            if (resp instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                long n;
                while ((n = ir.readLong()) != -1) {
                    uids.add(n);
                }
            }
        }
        return uids;
    }

    private static Response[] command(IMAPFolder folder, String cmd) throws MessagingException {
        return (Response[]) folder.doCommand((IMAPProtocol p) -> {
            Response[] r = p.command(cmd, null);
            Response last = r[r.length - 1];
            p.notifyResponseHandlers(r);
            p.handleResult(last);
            return r;
        });
    }

    private static String set(List<Long> uids) {
        return uids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

}
