package dev.jobq.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy in front of a real Redis that breaks the network on command: {@link #stall()}
 * holds every byte in both directions on open connections (a switch that stops forwarding),
 * {@link #cut()} drops every connection and refuses new ones (a cable pulled), {@link #resume()}
 * lets traffic flow again, and {@link #dropReplies} swallows Redis's answers while commands
 * still reach Redis and run (a connection lost mid-call, as its caller sees it).
 */
public final class RedisProxy implements AutoCloseable {
  private enum Mode { OPEN, STALLED, CUT }

  private final String host;
  private final int port;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "redis-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private Mode mode = Mode.OPEN; // guarded by gate
  private volatile boolean dropReplies;

  public RedisProxy(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  public String url() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  public void stall() {
    setMode(Mode.STALLED);
  }

  public void cut() {
    setMode(Mode.CUT);
    closeAll();
  }

  public void resume() {
    setMode(Mode.OPEN);
  }

  /** While true, every byte Redis sends back is thrown away. */
  public void dropReplies(boolean drop) {
    dropReplies = drop;
  }

  private void setMode(Mode m) {
    synchronized (gate) {
      mode = m;
      gate.notifyAll();
    }
  }

  private Mode mode() {
    synchronized (gate) {
      return mode;
    }
  }

  /** Blocks while stalled; true if the bytes may pass, false if the connection was cut. */
  private boolean awaitPassage() throws InterruptedException {
    synchronized (gate) {
      while (mode == Mode.STALLED) {
        gate.wait();
      }
      return mode == Mode.OPEN;
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (mode() == Mode.CUT) {
          client.close();
          continue;
        }
        Socket upstream = new Socket(host, port);
        sockets.add(client);
        sockets.add(upstream);
        threads.execute(() -> pump(client, upstream, false));
        threads.execute(() -> pump(upstream, client, true));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Copies one direction until either side closes or the cable is cut, then closes both. */
  private void pump(Socket from, Socket to, boolean replies) {
    byte[] buf = new byte[16 * 1024];
    try (from; to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) != -1 && awaitPassage()) {
        if (!(replies && dropReplies)) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side went away: the try closes the other
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void closeAll() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    resume();
    server.close();
    closeAll();
    threads.shutdownNow();
  }
}
