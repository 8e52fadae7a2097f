// Signal delivery latency to a thread spinning in user code: thread B sends
// SIGPROF (what V8's sampler does every interval) to thread A and waits for A's
// handler to run. Build and run: cc -O2 -pthread signal-latency.c -o /tmp/sl && /tmp/sl [pin]
// ("pin": A on CPU 1, B on CPU 0).
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
static volatile long long handled_at; static volatile int spinning = 1; static pthread_t victim;
static long long now(){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec*1000000000LL+t.tv_nsec;}
static void h(int s){ handled_at = now(); }
static void* spin(void* a){ volatile unsigned long x=0; while(spinning) x++; return 0; }
static int cmp(const void*a,const void*b){ long long x=*(long long*)a,y=*(long long*)b; return x<y?-1:x>y; }
int main(int argc,char**argv){
  int pin = argc>1;
  signal(SIGPROF,h);
  pthread_create(&victim,0,spin,0);
  if (pin) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(1,&s); pthread_setaffinity_np(victim,sizeof s,&s); CPU_ZERO(&s); CPU_SET(0,&s); pthread_setaffinity_np(pthread_self(),sizeof s,&s); }
  usleep(100000);
  enum{N=2000}; static long long d[N];
  for(int i=0;i<N;i++){ handled_at=0; long long t=now(); pthread_kill(victim,SIGPROF); while(!handled_at && now()-t<50000000LL); d[i]=handled_at? handled_at-t : -1; usleep(1000); }
  spinning=0; pthread_join(victim,0);
  qsort(d,N,sizeof d[0],cmp);
  printf("%s: signal delivery latency to a spinning thread, µs: p10 %.1f p50 %.1f p90 %.1f p99 %.1f max %.1f\n", pin?"pinned apart":"unpinned", d[N/10]/1e3,d[N/2]/1e3,d[N*9/10]/1e3,d[N*99/100]/1e3,d[N-1]/1e3);
}
