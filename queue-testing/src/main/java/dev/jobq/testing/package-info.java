/** Testing without Redis: an in-memory broker and a JUnit 5 extension. */
package dev.jobq.testing;
