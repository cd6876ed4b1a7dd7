import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

// Found by the 1,000-order chaos soak: a worker killed in the middle of an SMTP conversation resets
// its connection, smtp-server emits 'error' on the server, and with no listener that event threw and
// took the whole process down (the soak runner, or `npm start`, whose mail sink this is).
describe('mail capture', () => {
  it('survives clients that reset their connections mid-message and keeps receiving', () => {
    const script = `
      const net = require('node:net');
      const nodemailer = require('nodemailer');
      const { startMailCapture } = require('./runtime/mail-capture');
      (async () => {
        const mail = await startMailCapture(0);
        for (let reset = 0; reset < 3; reset += 1) {
          const socket = net.connect(mail.port, '127.0.0.1');
          const reply = () => new Promise((r) => socket.once('data', r));
          await reply();
          for (const command of ['EHLO worker', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.com>', 'DATA']) {
            socket.write(command + '\\r\\n');
            await reply();
          }
          socket.write('Subject: half\\r\\n');
          await new Promise((r) => setTimeout(r, 100));
          socket.resetAndDestroy();
          await new Promise((r) => setTimeout(r, 300));
        }
        const transport = nodemailer.createTransport({ url: mail.url, ignoreTLS: true });
        await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'whole', text: 'after the reset' });
        transport.close();
        await mail.waitFor((m) => m.subject === 'whole', 1, 5000);
        process.stdout.write('received ' + mail.messages().map((m) => m.subject).join(','));
        // The size as transferred (what an SMTP size limit counts): headers and body, a few hundred bytes.
        process.stdout.write(' ' + mail.messages().map((m) => m.sizeBytes > 200 && m.sizeBytes < 4000).join(','));
        await mail.stop();
      })().catch((e) => { process.stderr.write(String(e)); process.exit(3); });`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).not.toContain('ECONNRESET');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('received whole true');
  });
});
