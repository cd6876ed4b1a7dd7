import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MailCapture } from '../../runtime/mail-capture';

/** The capture SMTP server's inbox, for people running the embedded default (no real mail relay). */
export const devMailRoutes: FastifyPluginAsyncZod<{ capture: MailCapture }> = async (app, { capture }) => {
  app.get(
    '/dev/mail',
    {
      config: { auth: { roles: ['ops'] } },
      schema: {
        tags: ['dev'],
        summary: 'E-mails received by the local capture SMTP server (newest first)',
        querystring: z.object({
          to: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (request) => {
      const { to, limit } = request.query;
      const messages = capture
        .messages()
        .filter((m) => !to || m.to.includes(to) || m.envelopeTo.includes(to))
        .reverse()
        .slice(0, limit)
        // Attachments are listed, not inlined: a PDF as a JSON byte array helps nobody.
        .map((m) => ({
          ...m,
          attachments: m.attachments.map(({ filename, contentType, size }) => ({ filename, contentType, size })),
        }));
      return { count: messages.length, messages };
    },
  );
};
