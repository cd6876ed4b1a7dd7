/** Small pieces every document prints the same way: addresses, rates, parties. */

/** A postal address as the closed-won event and the customer master carry it. */
export interface PostalAddress {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

/** Printed lines of an address: name, street lines, "City, RG 12345", country. */
export function addressLines(address: PostalAddress): string[] {
  const cityLine = `${address.city}${address.region ? `, ${address.region}` : ''} ${address.postalCode}`;
  return [address.name, address.line1, address.line2, cityLine, address.country].filter(
    (line): line is string => !!line,
  );
}

/** Basis points as a percentage: 725 -> "7.25%", 800 -> "8%". */
export function formatRate(bp: number): string {
  return `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}
