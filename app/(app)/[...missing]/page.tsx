import { notFound } from 'next/navigation';

/** Unknown paths inside the app render its not-found page in the app frame (header, navigation). */
export default function Missing() {
  notFound();
}
