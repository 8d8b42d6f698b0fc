// Shared plumbing for the native kernels: the oneDNN engine and stream, reading a call's
// arguments out of the wasm heap, and the caches that make repeated calls cheap.
//
// Every kernel entry point takes the wasm backend's HEAPU8 first, then numbers only (the
// optimizer updates, which take any number of tensors, end with one Float64Array of them).
// Tensors are passed as byte offsets into that heap, so the kernels read and write tfjs tensor
// memory in place. Nothing here calls back into JS, so the heap cannot grow (and move) during a
// call.
#pragma once

#include <node_api.h>

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace calibra {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine &cpu_engine();
dnnl::stream &cpu_stream();

// A call whose arguments do not describe valid tensors. Surfaces in JS as a thrown Error.
struct CallError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads one call's arguments in order: the heap, then numbers.
class Args {
 public:
  Args(napi_env env, napi_callback_info info);

  int64_t i();
  float f();
  double d();
  // The next argument, a Float64Array: its values and how many there are.
  std::pair<const double *, size_t> doubles();
  // A float32 tensor of `elems` elements at the next argument's byte offset.
  float *tensor(int64_t elems);
  // A float32 tensor of `elems` elements at byte offset `offset`.
  float *tensor_at(int64_t offset, int64_t elems);
  // As tensor(), but an offset below zero means "absent" and yields nullptr.
  float *optional_tensor(int64_t elems);

 private:
  napi_value next();

  napi_env env_;
  std::vector<napi_value> argv_;
  size_t pos_ = 1;
  uint8_t *heap_ = nullptr;
  size_t heap_bytes_ = 0;
};

using KernelBody = void (*)(Args &);

// Activations that FusedConv2D, FusedDepthwiseConv2D and _FusedMatMul can fold into their
// primitive. The numbering is shared with src/engine/native/activation.ts.
enum class Activation : int64_t { linear = 0, relu = 1, relu6 = 2, leakyrelu = 3, elu = 4, sigmoid = 5 };

// Post-ops for an activation; `alpha` is leakyrelu's slope.
dnnl::primitive_attr attr_with_activation(Activation act, float alpha);
// An attribute that hands scratch memory to us (see scratchpad()) instead of letting each
// primitive allocate its own on every execution.
dnnl::primitive_attr user_scratchpad_attr();
// Scratch memory big enough for `pd`, from one buffer that only ever grows.
memory scratchpad(const dnnl::primitive_desc &pd);

// Weights in the layout a primitive wants. When that differs from the user layout, the
// reordered copy is kept keyed by the wasm tensor id (tfjs tensors never change once written,
// and ids are never reused), so inference reorders each filter once. id < 0 skips the cache.
memory weights_as(int64_t id, const memory::desc &user, const float *data, const memory::desc &want);

// Copies `from` into memory with layout `want` (or returns it unchanged if it already has it).
memory reorder_to(const memory &from, const memory::desc &want);
void reorder_into(const memory &from, const memory &to);

memory user_memory(const memory::desc &md, const float *data);

// Primitive descriptors and primitives built for one shape and set of attributes.
template <typename Entry>
class PrimitiveCache {
 public:
  template <typename Make>
  Entry &get(const std::vector<int64_t> &key, Make make) {
    std::string k(reinterpret_cast<const char *>(key.data()), key.size() * sizeof(int64_t));
    auto it = entries_.find(k);
    if (it != entries_.end()) return it->second;
    // Shapes in a session are few; a runaway caller (ever-changing shapes) just starts over.
    if (entries_.size() >= kMaxEntries) entries_.clear();
    return entries_.emplace(std::move(k), make()).first->second;
  }

 private:
  static constexpr size_t kMaxEntries = 512;
  std::unordered_map<std::string, Entry> entries_;
};

template <typename PD>
struct Compiled {
  PD pd;
  dnnl::primitive prim;
};

// Physical cores available to this process (affinity mask, hyperthread siblings folded).
int physical_cores();

}  // namespace calibra
