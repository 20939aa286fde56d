package org.eclipse.angus.mail.pop3;

import jakarta.mail.MessagingException;
import java.io.IOException;

/**
 * mailprobe: {@code DELE n} of one message, issued now. Angus only deletes at
 * {@link POP3Folder#close(boolean)}, every message flagged \Deleted in ascending order, which on a
 * server that renumbers during a session (GreenMail) cannot be checked message by message. This
 * class sits in Angus' package to reach the package-private {@code POP3Folder.getProtocol()}; it is
 * compiled against angus-mail, so an upgrade that changes that method breaks the build, not a
 * running prober.
 */
public final class MailprobePop3 {
    private MailprobePop3() {}

    /** Sends {@code DELE msgnum} on the folder's connection; whether the server answered +OK. */
    public static boolean dele(POP3Folder folder, int msgnum) throws MessagingException {
        try {
            return folder.getProtocol().dele(msgnum);
        } catch (IOException e) {
            throw new MessagingException("DELE " + msgnum + " failed", e);
        }
    }
}
