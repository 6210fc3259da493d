/* cartohdf · every page the side panel can show (each zone's profile, the overview), kept in
   the page for the side panel: sent apart from the selection, so that a click sends only the
   selection (the pages, unchanged, are not sent again). */
export default function (component) {
  window.cartohdfPages = component.data;
  window.dispatchEvent(new Event("cartohdf-pages"));
}
