//! Why a copy in Sent could not be kept: the one type both the SMTP side
//! (`smtp::Transport::keep_copy`) and the IMAP side (`sent_folder`) use, in
//! a module of its own so that neither imports the other for it.

/// Why no copy could be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SentCopyError {
    #[error(
        "the mail account has \"Keep a copy in Sent\" on but no IMAP server; enter it (your provider's IMAP server, for example imap.example.org) or switch the copy off"
    )]
    NoHost,
    #[error(
        "could not find the IMAP server \"{host}\" ({reason}); check the IMAP server in the mail account and that this computer is online"
    )]
    Dns { host: String, reason: String },
    #[error(
        "could not reach the IMAP server {host} on port {port} ({reason}); check the port (993 for TLS, 143 for STARTTLS) and that no firewall blocks it"
    )]
    Connect { host: String, port: u16, reason: String },
    #[error(
        "the secure connection to the IMAP server {host} failed ({reason}); check the IMAP server name, port and security. Hemicycle only uses a connection whose certificate it can verify"
    )]
    Tls { host: String, reason: String },
    #[error("the IMAP server {host} does not offer STARTTLS on port {port}; choose TLS (port 993)")]
    NoStartTls { host: String, port: u16 },
    #[error(
        "the IMAP server {host} refused the user name or password for \"{user}\" ({reply}); Hemicycle reads and writes over IMAP with the same login as sending (some providers need an app password, or IMAP switched on in the mailbox's settings)"
    )]
    Auth { host: String, user: String, reply: String },
    #[error("the IMAP server needs a user name; enter the user name of the mail account")]
    NoUser,
    #[error(
        "found no Sent folder on {host} ({folders}); create one named \"Sent\" in your mail program, or switch the copy off"
    )]
    NoSentFolder { host: String, folders: String },
    #[error(
        "the IMAP server {host} refused to keep the copy in \"{folder}\" ({reply}); check that the mailbox is not full"
    )]
    Refused {
        host: String,
        folder: String,
        reply: String,
    },
    #[error(
        "the mail server {host} refused to open the folder \"{folder}\": {reply}. Check in your webmail or mail program that the folder exists and opens there; if it does not open there either, ask your provider to repair it"
    )]
    Folder {
        host: String,
        folder: String,
        reply: String,
    },
    #[error("the connection to the IMAP server {host} broke or timed out ({reason})")]
    Broken { host: String, reason: String },
    #[error("the extra certificate authority file cannot be used ({reason}): {path}")]
    Ca { path: String, reason: String },
}
