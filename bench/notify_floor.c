/* The floor of bench/notify_latency.sh: the least a program can do to put a
 * milestone's notification on the bus at its second. One thread, one
 * session-bus connection opened and one Notify message built ahead; a
 * timerfd armed at the second's absolute CLOCK_REALTIME deadline; at expiry
 * the message is sent and flushed, then the reply is waited for. What this
 * measures beside epochwatch is the machine (timer wake, scheduling, the bus
 * daemon forwarding to dbus-monitor), not a notifier.
 * Usage: notify_floor SECOND...   (each a Unix time, in increasing order)
 * Build: cc -O2 -o target/notify_floor bench/notify_floor.c \
 *          $(pkg-config --cflags --libs dbus-1)   (Debian: libdbus-1-dev) */
#include <dbus/dbus.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* "Unix time 1,800,000,000", the summary bench/notify_latency.sh reads back. */
static void summary_of(long long v, char *out, size_t size) {
    char digits[32], grouped[48];
    int n = snprintf(digits, sizeof digits, "%lld", v), j = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) grouped[j++] = ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = 0;
    snprintf(out, size, "Unix time %s", grouped);
}

static DBusMessage *notify_message(long long v) {
    static char summary[64];
    summary_of(v, summary, sizeof summary);
    DBusMessage *m = dbus_message_new_method_call(
        "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications", "Notify");
    const char *app = "notify_floor", *icon = "", *body = "the floor", *s = summary;
    dbus_uint32_t replaces = 0;
    dbus_int32_t expire = -1;
    DBusMessageIter it, arr, dict, var;
    dbus_message_iter_init_append(m, &it);
    dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &app);
    dbus_message_iter_append_basic(&it, DBUS_TYPE_UINT32, &replaces);
    dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &icon);
    dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &s);
    dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &body);
    dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "s", &arr);
    dbus_message_iter_close_container(&it, &arr);
    dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &arr);
    dbus_message_iter_open_container(&arr, DBUS_TYPE_DICT_ENTRY, NULL, &dict);
    const char *key = "urgency";
    unsigned char urgency = 2;
    dbus_message_iter_append_basic(&dict, DBUS_TYPE_STRING, &key);
    dbus_message_iter_open_container(&dict, DBUS_TYPE_VARIANT, "y", &var);
    dbus_message_iter_append_basic(&var, DBUS_TYPE_BYTE, &urgency);
    dbus_message_iter_close_container(&dict, &var);
    dbus_message_iter_close_container(&arr, &dict);
    dbus_message_iter_close_container(&it, &arr);
    dbus_message_iter_append_basic(&it, DBUS_TYPE_INT32, &expire);
    return m;
}

int main(int argc, char **argv) {
    DBusError err;
    dbus_error_init(&err);
    DBusConnection *bus = dbus_bus_get(DBUS_BUS_SESSION, &err);
    if (!bus) { fprintf(stderr, "notify_floor: %s\n", err.message); return 1; }
    int fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
    for (int a = 1; a < argc; a++) {
        long long v = atoll(argv[a]);
        DBusMessage *m = notify_message(v);
        struct itimerspec at = { .it_value = { .tv_sec = v, .tv_nsec = 0 } };
        timerfd_settime(fd, TFD_TIMER_ABSTIME, &at, NULL);
        uint64_t expirations;
        if (read(fd, &expirations, sizeof expirations) != sizeof expirations) return 1;
        DBusMessage *reply = dbus_connection_send_with_reply_and_block(bus, m, 5000, &err);
        if (!reply) { fprintf(stderr, "notify_floor: %s\n", err.message); return 1; }
        dbus_message_unref(reply);
        dbus_message_unref(m);
    }
    return 0;
}
