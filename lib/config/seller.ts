/** SELLER_*: who issues the documents and how the buyer pays, and the identity printed from them. */
import { z } from 'zod';
import { optionalString } from './variables';

/** One line of a printed document (seller name, bank name...): 1-200 characters. */
const printedText = (fallback: string) =>
  z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').default(fallback);

/** Lines of a printed address, separated by "|" in the variable ("4500 Industrial Way|Dayton, OH 45414"). */
const printedAddress = (fallback: string) =>
  printedText(fallback).refine((v) => v.split('|').every((line) => line.trim() !== ''), {
    message: 'must be address lines separated by "|", none of them empty',
  });

/**
 * Who issues the documents (invoice, credit memo, packing list) and how the buyer pays: printed on every
 * PDF. The defaults are the demo company's, fictional, so `npm start` prints a complete invoice.
 */
export const sellerVariables = {
  SELLER_LEGAL_NAME: printedText('Closedloop Demo Distribution, LLC'),
  SELLER_ADDRESS: printedAddress('4500 Industrial Way|Dayton, OH 45414|United States'),
  /** Tax registration printed beside the name (EIN, VAT number...). */
  SELLER_TAX_ID: printedText('EIN 12-3456789'),
  SELLER_EMAIL: z.email('must be an e-mail address').default('billing@closedloop-demo.example'),
  /** Where cheques go; the seller's address when unset. */
  SELLER_REMIT_ADDRESS: optionalString.refine(
    (v) => v === undefined || v.split('|').every((line) => line.trim() !== ''),
    {
      message: 'must be address lines separated by "|", none of them empty',
    },
  ),
  SELLER_BANK_NAME: printedText('Demo Commerce Bank, N.A.'),
  SELLER_BANK_ACCOUNT: printedText('Account 000123456789'),
  /** Routing of the account: ABA routing number, SWIFT/BIC. */
  SELLER_BANK_ROUTING: printedText('ABA 000000000 / SWIFT DEMOUS00'),
};

/** Every SELLER_* variable (checked against docker-compose.yml). */
export const SELLER_VARIABLES = Object.keys(sellerVariables);

/** The issuer printed on documents: legal identity, and where and how the buyer pays. */
export interface SellerIdentity {
  legalName: string;
  addressLines: string[];
  taxId: string;
  email: string;
  remitTo: {
    /** Postal remittance (cheques). */
    addressLines: string[];
    bankName: string;
    account: string;
    routing: string;
  };
}

const addressLines = (text: string) => text.split('|').map((line) => line.trim());

/** The seller as configured (SELLER_* variables). */
export function sellerIdentity(config: z.infer<z.ZodObject<typeof sellerVariables>>): SellerIdentity {
  return {
    legalName: config.SELLER_LEGAL_NAME,
    addressLines: addressLines(config.SELLER_ADDRESS),
    taxId: config.SELLER_TAX_ID,
    email: config.SELLER_EMAIL,
    remitTo: {
      addressLines: addressLines(config.SELLER_REMIT_ADDRESS ?? config.SELLER_ADDRESS),
      bankName: config.SELLER_BANK_NAME,
      account: config.SELLER_BANK_ACCOUNT,
      routing: config.SELLER_BANK_ROUTING,
    },
  };
}

/** The demo seller (every SELLER_* variable unset): tests and callers that were given no configuration. */
export const DEMO_SELLER: SellerIdentity = sellerIdentity(z.object(sellerVariables).parse({}));
