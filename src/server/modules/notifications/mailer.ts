import nodemailer from "nodemailer";

/** What the outbox needs of an e-mail sender. */
export interface Mailer {
  send(mail: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/**
 * An SMTP sender (nodemailer) from KAOHE_SMTP_URL (e.g. smtps://user:pass@smtp.example.gov.cn:465,
 * or smtp://host:587 for STARTTLS) and KAOHE_SMTP_FROM (the From address).
 */
export function smtpMailer(settings: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(settings.url);
  return {
    async send(mail) {
      await transport.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        textEncoding: "base64",
      });
    },
    close: () => transport.close(),
  };
}
