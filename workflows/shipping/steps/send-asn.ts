import { defineStep } from '../../engine/step';

/** Advance ship notice to the customer before dispatch. Ops may skip it (e.g. the customer gets EDI instead). */
export const sendAsnStep = defineStep({ name: 'send-asn', run: 'sendAsn', timeout: '30s', skippable: true });
