/**
 * The embedded demo mail cluster and its fault injection.
 *
 * <p>One GreenMail (SMTP, IMAP, POP3 on 127.0.0.1 ephemeral ports, plaintext) is the shared mail
 * store. Each demo node is a set of Vert.x TCP proxies in front of it, on the configured bind
 * address (default 127.0.0.1), ephemeral ports unless {@link dev.mailprobe.demo.DemoOptions#basePort()}
 * is set: {@code smtp-1}, {@code smtp-2} (smtp + submission, both to GreenMail SMTP; submission is
 * used with AUTH by the probe account) and {@code imap-1}, {@code imap-2} (imap + pop3).
 *
 * <p>Faults ({@link dev.mailprobe.demo.FaultMode}) act on the wire, per node:
 * <ul>
 *   <li>crash: the node's listeners close (connection refused) and its open connections are cut;
 *       any other mode reopens them on the same ports;
 *   <li>blackhole: TCP is accepted, nothing is ever sent back;
 *   <li>slow: every chunk the server sends is held back by the node's delay (default 3 s);
 *   <li>reject: SMTP RCPT TO gets {@code 451 4.3.0}; IMAP LOGIN/AUTHENTICATE gets
 *       {@code NO [AUTHENTICATIONFAILED]}; POP3 PASS/APOP/AUTH gets {@code -ERR [AUTH]}; all made up
 *       by the proxy, credentials never forwarded;
 *   <li>lose-mail (SMTP nodes only; refused with IllegalArgumentException / HTTP 400 on IMAP nodes):
 *       the proxy answers DATA with 354, swallows the message, answers 250 and resets the backend
 *       transaction, so the mail never reaches a mailbox;
 *   <li>none: plain pass-through.
 * </ul>
 * A mode applies to connections accepted after it is set; connections keep the mode they were
 * accepted with (crash excepted: it cuts them). All proxy I/O runs on one event loop, the context
 * of a small verticle the cluster deploys on the caller's Vert.x.
 */
package dev.mailprobe.demo;
