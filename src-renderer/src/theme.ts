import { createTheme, Drawer, Modal } from '@mantine/core';

// System fonts only (Mantine's default stacks): the CSP allows no remote fonts, and an admin tool
// should look native on each desktop.
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  cursorType: 'pointer',
  headings: { fontWeight: '650' },
  // Overlays and collapses appear without animation for people who ask their OS for less motion.
  respectReducedMotion: true,
  components: {
    // The page never scrolls (each view scrolls inside the shell), so overlays need no scroll lock,
    // whose helper injects a <style> element without the CSP nonce.
    // Their close buttons are icons: give them a name.
    Modal: Modal.extend({ defaultProps: { lockScroll: false, closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { lockScroll: false, closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});
